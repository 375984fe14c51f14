import { StringDecoder } from 'node:string_decoder'
import { SaxesParser, type SaxesTagPlain } from 'saxes'
import {
  MAX_SCANNER_NAMES,
  SEVERITIES,
  scannerName,
  titleWithoutCounter,
  type Finding,
  type KnownSeverity,
  type ScanReport,
  type ScannerNote
} from './findings.js'
import { fingerprint, locate } from './fingerprint.js'
import { MarkupWatch } from './markup-watch.js'
import { clip } from './text.js'

/** Raised when the report cannot be read as a Crashtest JUnit report. */
export class ReportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ReportError'
  }
}

/** Longest text kept per finding: messages are shown, not archived (the report file keeps them whole). */
const MAX_TEXT = 4000
const MAX_NAME = 500
/**
 * Longest single piece of markup (an attribute value, a name, a comment) accepted. saxes keeps a piece
 * of markup whole until it ends; real messages are short, so this keeps any report with sane markup
 * parseable and bounds what a hostile one can take (measured in docs/reliability.md). Long text between
 * elements is passed on in pieces, not refused (see MarkupWatch).
 */
export const MAX_MARKUP_CHARS = 4 * 1024 * 1024
/**
 * Bytes handed to saxes at a time. A string of a whole 64 KiB
 * network chunk, alive at every garbage collection while it is parsed, made V8 grow its young
 * generation (some 30 MB more at the peak of a 90 MB report); 8 KiB pieces do not.
 */
const PIECE_BYTES = 8 * 1024
/** Text between elements longer than this is passed on rather than held until the next tag. */
const TEXT_FLUSH_CHARS = 64 * 1024
/** JUnit nests four levels (testsuites, testsuite, testcase, failure); saxes keeps every open element. */
export const MAX_DEPTH = 64
export const MAX_ATTRIBUTES = 256
/** Findings, scanner errors and skipped checks kept in memory; real scans report hundreds. */
export const MAX_OUTCOMES = 100_000

interface OpenTestcase {
  /** Raw attributes: most testcases pass, and only those with an outcome need their names cleaned. */
  classname: string
  name: string
  outcome?: {
    kind: 'finding' | 'error' | 'skipped'
    type: string
    message: string
    text: string
    /** The outcome element while it is open (only its own text is the message); undefined once closed. */
    open?: string
  }
}

export interface JunitParser {
  /** Reads the next part of the report. Never throws: false once the report is known to be unreadable. */
  write(chunk: string | Buffer): boolean
  /** The report read; throws the first reason it could not be read. */
  end(): ScanReport
}

/** Reads a whole JUnit report from a stream: see createJunitParser. */
export async function parseJunitReport(source: AsyncIterable<string | Buffer>): Promise<ScanReport> {
  const parser = createJunitParser()
  for await (const chunk of source) {
    if (!parser.write(chunk)) break
  }
  return parser.end()
}

/**
 * Reads a JUnit report part by part as it arrives, so memory stays flat however large it is. The report
 * comes from a remote service and is untrusted: the parser (saxes) is strict XML and expands no entity
 * but XML's own five, any DOCTYPE is refused outright (JUnit reports have none; one in a report can only
 * be an entity attack), and nesting, attributes, outcomes and markup length are bounded.
 */
export function createJunitParser(): JunitParser {
  const scanners = new Set<string>()
  const classnames = new Set<string>()
  const report: ScanReport = { testcases: 0, scanners, findings: [], scannerErrors: [], skippedChecks: [] }
  const parser = new SaxesParser({ xmlns: false, position: true })
  let root: string | undefined
  let testcase: OpenTestcase | undefined
  let failure: Error | undefined
  let depth = 0
  let attributes = 0
  const shared = new Map<string, string>()

  const fail = (message: string): void => {
    failure ??= new ReportError(`${message} (line ${parser.line}, column ${parser.column + 1})`)
  }
  parser.on('doctype', () =>
    fail('The report has a DOCTYPE declaration, which a JUnit report never has; refusing it')
  )
  parser.on('opentagstart', () => {
    attributes = 0
    if (++depth > MAX_DEPTH) fail(`The report nests elements deeper than ${MAX_DEPTH} levels; refusing it`)
  })
  parser.on('attribute', () => {
    if (++attributes === MAX_ATTRIBUTES + 1)
      fail(`The report has an element with more than ${MAX_ATTRIBUTES} attributes; refusing it`)
  })
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const attribute = (name: string): string => tag.attributes[name] ?? ''
    if (root === undefined) {
      root = tag.name
      if (root !== 'testsuites' && root !== 'testsuite') {
        fail(`The document is not a JUnit report: its root element is <${clip(root, 100)}>, not <testsuites>`)
      }
      return
    }
    if (tag.name === 'testcase') {
      report.testcases++
      testcase = { classname: attribute('classname'), name: attribute('name') }
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
    depth--
    if (testcase?.outcome?.open === name) testcase.outcome.open = undefined
    if (name !== 'testcase' || !testcase) return
    // Looked up by the classname as given, so that the million passed testcases of a large report make
    // no new string each.
    const classname = clip(testcase.classname, MAX_NAME)
    if (report.scanners && !classnames.has(classname)) {
      classnames.add(compact(classname))
      scanners.add(compact(scannerName(classname).toLowerCase()))
      // Past the bound, which checks ran is not known, rather than known in part.
      if (classnames.size > MAX_SCANNER_NAMES) delete report.scanners
    }
    record(report, testcase, shared)
    testcase = undefined
    if (report.findings.length + report.scannerErrors.length + report.skippedChecks.length > MAX_OUTCOMES) {
      fail(
        `The report has more than ${MAX_OUTCOMES} findings, scanner errors and skipped checks, far beyond any real scan; refusing it`
      )
    }
  })

  // saxes throws its errors: with an `error` handler too, its parser object would carry one property
  // too many for V8 to keep it fast, and parse five times slower.
  const notWellFormed = (error: unknown): void => {
    // saxes starts its messages with the position, which fail() adds in words; the rest may quote the
    // report (an unmatched tag name): keep it short.
    const reason = error instanceof Error ? error.message.replace(/^\d+:\d+: /, '') : String(error)
    fail(`The report is not well-formed XML: ${clip(reason, 200)}`)
  }
  const watch = new MarkupWatch(MAX_MARKUP_CHARS, TEXT_FLUSH_CHARS)
  const feed = (text: string): void => {
    const watched = watch.pass(text)
    if ('tooLong' in watched) {
      return fail(
        `The report has ${watched.tooLong} longer than ${MAX_MARKUP_CHARS.toLocaleString('en')} characters, which no JUnit report has; refusing it`
      )
    }
    try {
      parser.write(watched.text)
    } catch (error) {
      notWellFormed(error)
    }
  }
  // Decoded here so that a character split between two chunks stays whole.
  const decoder = new StringDecoder('utf8')
  return {
    write(chunk) {
      for (let start = 0; start < chunk.length && !failure; start += PIECE_BYTES) {
        feed(
          typeof chunk === 'string'
            ? chunk.slice(start, start + PIECE_BYTES) // saxes keeps a surrogate pair cut in two whole
            : decoder.write(chunk.subarray(start, start + PIECE_BYTES))
        )
      }
      return !failure
    },
    end() {
      if (!failure) feed(decoder.end())
      if (!failure && root === undefined) throw new ReportError('The report is empty: it has no XML element')
      if (!failure) {
        try {
          parser.close()
        } catch (error) {
          notWellFormed(error)
        }
      }
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
  const intern = (text: string): string => {
    let kept = shared.get(text)
    if (kept === undefined) {
      kept = compact(text)
      shared.set(kept, kept)
    }
    return kept
  }
  const scanner = intern(clip(scannerName(testcase.classname), MAX_NAME))
  const title = intern(clip(titleWithoutCounter(testcase.name), MAX_NAME))
  const message = compact(clip(outcome.message || outcome.text.trim(), MAX_TEXT))
  if (outcome.kind === 'finding') {
    const type = outcome.type.trim().toLowerCase()
    const known = SEVERITIES.includes(type as KnownSeverity)
    const finding: Finding = {
      scanner,
      title,
      severity: known ? (type as KnownSeverity) : 'unknown',
      reportedType: intern(clip(outcome.type.trim(), 100)),
      message,
      fingerprint: fingerprint({ scanner, title, message }),
      ...locate(message)
    }
    report.findings.push(finding)
    return
  }
  const note: ScannerNote = { scanner, title, message }
  if (outcome.kind === 'error') report.scannerErrors.push(note)
  else report.skippedChecks.push(note)
}

/**
 * A copy of a string that holds nothing else. saxes hands out slices of the piece of the report they
 * came in; a kept slice would keep that whole piece alive. A JSON round trip copies it, every code unit
 * as it was.
 */
function compact(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string
}
