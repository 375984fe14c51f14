import { StringDecoder } from 'node:string_decoder'
import sax from 'sax'
import {
  SEVERITIES,
  type Finding,
  type KnownSeverity,
  type ScanReport,
  type ScannerNote
} from './findings.js'

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
const FLATTEN = /^/

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
 * comes from a remote service and is untrusted: the parser is strict, never expands entities, and any
 * DOCTYPE is refused outright (JUnit reports have none; one in a report can only be an entity attack).
 */
export function createJunitParser(): JunitParser {
  const report: ScanReport = { testcases: 0, findings: [], scannerErrors: [], skippedChecks: [] }
  const parser = sax.parser(true, { trim: false, normalize: false, position: true })
  let root: string | undefined
  let testcase: OpenTestcase | undefined
  let failure: Error | undefined

  const fail = (message: string): void => {
    failure ??= new ReportError(`${message} (line ${parser.line + 1}, column ${parser.column + 1})`)
  }
  parser.onerror = error => {
    fail(`The report is not well-formed XML: ${error.message.split('\n')[0]}`)
  }
  parser.ondoctype = () =>
    fail('The report has a DOCTYPE declaration, which a JUnit report never has; refusing it')
  parser.onopentag = tag => {
    const attribute = (name: string): string => {
      const value = tag.attributes[name]
      return typeof value === 'string' ? value : ''
    }
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
  }
  const collectText = (text: string): void => {
    const outcome = testcase?.outcome
    if (outcome?.open !== undefined && outcome.text.length < MAX_TEXT)
      outcome.text += text.slice(0, MAX_TEXT - outcome.text.length)
  }
  parser.ontext = collectText
  parser.oncdata = collectText
  parser.onclosetag = name => {
    if (testcase?.outcome?.open === name) testcase.outcome.open = undefined
    if (name !== 'testcase' || !testcase) return
    record(report, testcase)
    testcase = undefined
  }

  // Decoded here so that a character split between two chunks stays whole.
  const decoder = new StringDecoder('utf8')
  return {
    write(chunk) {
      if (!failure) parser.write(typeof chunk === 'string' ? chunk : decoder.write(chunk))
      return !failure
    },
    end() {
      if (!failure) parser.write(decoder.end())
      if (!failure) parser.close()
      if (failure) throw failure
      if (root === undefined) throw new ReportError('The report is empty: it has no XML element')
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

function record(report: ScanReport, testcase: OpenTestcase): void {
  const outcome = testcase.outcome
  if (!outcome) return
  const title = testcase.title.replace(RUNNING_COUNTER, '')
  const message = clip(outcome.message || outcome.text.trim())
  if (outcome.kind === 'finding') {
    const type = outcome.type.trim().toLowerCase()
    const known = SEVERITIES.includes(type as KnownSeverity)
    const finding: Finding = {
      scanner: testcase.scanner,
      title,
      severity: known ? (type as KnownSeverity) : 'unknown',
      reportedType: clip(outcome.type.trim(), 100),
      message
    }
    report.findings.push(finding)
    return
  }
  const note: ScannerNote = { scanner: testcase.scanner, title, message }
  if (outcome.kind === 'error') report.scannerErrors.push(note)
  else report.skippedChecks.push(note)
}

/**
 * Shortens a kept text to `max` characters, as one flat string. sax builds attribute values a character
 * at a time, and V8 keeps such a string as a rope of one node per character until something flattens
 * it: some 3 KB for a 100-character message, 80 MB for the findings of a million-testcase report.
 * Running a regular expression over a string makes V8 flatten it in place.
 */
function clip(text: string, max = MAX_TEXT): string {
  const kept = text.length > max ? `${text.slice(0, max - 1)}…` : text
  FLATTEN.test(kept)
  return kept
}
