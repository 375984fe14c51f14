import { StringDecoder } from 'node:string_decoder'
import { SaxesParser, type SaxesTagPlain } from 'saxes'
import { SEVERITIES, type Finding, type ScanReport, type ScannerNote } from './findings.js'

/** Raised when the report cannot be read as a Crashtest JUnit report. */
export class ReportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ReportError'
  }
}

/** Longest text kept per finding: messages are shown, not archived (the report file keeps them whole). */
const MAX_TEXT = 4000
const SCANNER_SUFFIX = /\.crashtest\.cloud$/i
const RUNNING_COUNTER = /\s*\(\d+\)\s*$/
/**
 * Bytes handed to the parser at a time. The string of a whole 64 kB chunk from the network, alive at
 * every garbage collection while it is parsed, made V8 double its young generation (32 MB more at the
 * peak of a 90 MB report); 8 kB pieces do not, at a small cost in speed.
 */
const PIECE_BYTES = 8 * 1024

interface OpenTestcase {
  scanner: string
  title: string
  outcome?: {
    kind: 'finding' | 'error' | 'skipped'
    type: string
    message: string
    text: string
    /** The outcome element while it is open (only its own text is the message); undefined once closed. */
    open?: string
  }
}

/** Reads a JUnit report as a stream: see createJunitParser. */
export async function parseJunitReport(source: AsyncIterable<string | Buffer>): Promise<ScanReport> {
  const parser = createJunitParser()
  for await (const chunk of source) {
    if (!parser.write(chunk)) break
  }
  return parser.end()
}

export interface JunitParser {
  /** Reads the next part of the report. Never throws: false once the report is known to be unreadable. */
  write(chunk: string | Buffer): boolean
  /** The report read; throws the first reason it could not be read. */
  end(): ScanReport
}

/**
 * Reads a JUnit report part by part as it arrives, so memory stays flat however large it is. The report
 * comes from a remote service and is untrusted: the parser (saxes) is strict XML, expands no entity but
 * XML's own five, and any DOCTYPE is refused outright (JUnit reports have none; one in a report can only
 * be an entity attack).
 */
export function createJunitParser(): JunitParser {
  const report: ScanReport = { testcases: 0, findings: [], scannerErrors: [], skippedChecks: [] }
  const parser = new SaxesParser({ xmlns: false, position: true })
  let root: string | undefined
  let testcase: OpenTestcase | undefined
  let failure: Error | undefined
  const shared = new Map<string, string>()

  const fail = (message: string): void => {
    failure ??= new ReportError(`${message} (line ${parser.line}, column ${parser.column + 1})`)
  }
  parser.on('error', error => {
    // saxes starts its messages with the position, which fail() adds in words.
    fail(`The report is not well-formed XML: ${error.message.replace(/^\d+:\d+: /, '')}`)
  })
  parser.on('doctype', () =>
    fail('The report has a DOCTYPE declaration, which a JUnit report never has; refusing it')
  )
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const attribute = (name: string): string => tag.attributes[name] ?? ''
    if (root === undefined) {
      root = tag.name
      if (root !== 'testsuites' && root !== 'testsuite') {
        fail(`The document is not a JUnit report: its root element is <${root}>, not <testsuites>`)
      }
      return
    }
    if (tag.name === 'testcase') {
      report.testcases++
      testcase = { scanner: attribute('classname').replace(SCANNER_SUFFIX, ''), title: attribute('name') }
    } else if (testcase && !testcase.outcome && ['failure', 'error', 'skipped'].includes(tag.name)) {
      const type = attribute('type')
      testcase.outcome = {
        kind: outcomeKind(tag.name, type),
        type,
        message: attribute('message'),
        text: '',
        open: tag.name
      }
    }
  })
  const collectText = (text: string): void => {
    const outcome = testcase?.outcome
    if (outcome?.open !== undefined && outcome.text.length < MAX_TEXT)
      outcome.text += text.slice(0, MAX_TEXT - outcome.text.length)
  }
  parser.on('text', collectText)
  parser.on('cdata', collectText)
  parser.on('closetag', ({ name }) => {
    if (testcase?.outcome?.open === name) testcase.outcome.open = undefined
    if (name !== 'testcase' || !testcase) return
    record(report, testcase, shared)
    testcase = undefined
  })

  // Decoded here so that a character split between two chunks stays whole.
  const decoder = new StringDecoder('utf8')
  return {
    write(chunk) {
      if (typeof chunk === 'string') {
        if (!failure) parser.write(chunk)
        return !failure
      }
      for (let start = 0; start < chunk.length && !failure; start += PIECE_BYTES) {
        parser.write(decoder.write(chunk.subarray(start, start + PIECE_BYTES)))
      }
      return !failure
    },
    end() {
      if (!failure) parser.write(decoder.end())
      if (!failure && root === undefined) throw new ReportError('The report is empty: it has no XML element')
      if (!failure) parser.close()
      if (failure) throw failure
      return report
    }
  }
}

function outcomeKind(element: string, type: string): 'finding' | 'error' | 'skipped' {
  if (element === 'skipped') return 'skipped'
  if (element === 'error') return 'error'
  const normalized = type.trim().toLowerCase()
  if (normalized === 'error') return 'error'
  if (normalized === 'skipped') return 'skipped'
  return 'finding'
}

function record(report: ScanReport, testcase: OpenTestcase, shared: Map<string, string>): void {
  const outcome = testcase.outcome
  if (!outcome) return
  // Scanners, titles and types repeat from finding to finding: one copy of each is kept.
  const intern = (text: string, max = Infinity): string => {
    let kept = shared.get(text)
    if (kept === undefined) {
      kept = clip(text, max)
      shared.set(kept, kept)
    }
    return kept
  }
  const scanner = intern(testcase.scanner)
  const title = intern(testcase.title.replace(RUNNING_COUNTER, ''))
  const message = clip(outcome.message || outcome.text.trim())
  if (outcome.kind === 'finding') {
    const type = outcome.type.trim().toLowerCase()
    const finding: Finding = {
      scanner,
      title,
      severity: SEVERITIES.find(severity => severity === type) ?? 'unknown',
      reportedType: intern(outcome.type.trim(), 100),
      message
    }
    report.findings.push(finding)
    return
  }
  const note: ScannerNote = { scanner, title, message }
  if (outcome.kind === 'error') report.scannerErrors.push(note)
  else report.skippedChecks.push(note)
}

/**
 * Shortens a kept text to `max` characters, as a string of its own. The parser hands out texts that are
 * slices of the piece of the report they came in, or ropes of several; a kept one would hold on to all
 * of that. Joining it to another string and slicing that off again makes V8 copy the characters.
 */
function clip(text: string, max = MAX_TEXT): string {
  const kept = text.length > max ? `${text.slice(0, max - 1)}…` : text
  return ` ${kept}`.slice(1)
}
