import { StringDecoder } from 'node:string_decoder'
import sax from 'sax'
import {
  SEVERITIES,
  scannerName,
  titleWithoutCounter,
  type Finding,
  type KnownSeverity,
  type ScanReport,
  type ScannerNote
} from './findings.js'
import { fingerprint, locate } from './fingerprint.js'

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
 * sax fails on any single piece of markup (an attribute value, a name, a comment) longer than its
 * buffer limit, checked once per write; writes are cut to WRITE_CHARS, so markup never outgrows the
 * limit by more than that, however the network splits the report. Real messages are short; this limit
 * keeps any report with sane markup parseable and bounds what a hostile one can take (measured in
 * docs/reliability.md). Long text between elements is passed on in pieces, not refused.
 */
export const MAX_MARKUP_CHARS = 4 * 1024 * 1024
const WRITE_CHARS = 64 * 1024
// @types/sax does not declare this module-wide setting.
;(sax as typeof sax & { MAX_BUFFER_LENGTH: number }).MAX_BUFFER_LENGTH = MAX_MARKUP_CHARS
/** JUnit nests four levels (testsuites, testsuite, testcase, failure); sax keeps every open element. */
export const MAX_DEPTH = 64
export const MAX_ATTRIBUTES = 256
/** Findings, scanner errors and skipped checks kept in memory; real scans report hundreds. */
export const MAX_OUTCOMES = 100_000

const MARKUP_NAMES: Record<string, string> = {
  attribValue: 'an attribute value',
  attribName: 'an attribute name',
  tagName: 'an element name',
  comment: 'a comment',
  doctype: 'a DOCTYPE declaration',
  sgmlDecl: 'a declaration',
  procInstName: 'a processing instruction',
  procInstBody: 'a processing instruction',
  entity: 'an entity reference'
}

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

/**
 * Reads a JUnit report as a stream, so memory stays flat however large it is. The report comes from
 * a remote service and is untrusted: the parser is strict, never expands entities, and any DOCTYPE is
 * refused outright (JUnit reports have none; one in a report can only be an entity attack).
 */
export async function parseJunitReport(source: AsyncIterable<string | Buffer>): Promise<ScanReport> {
  const report: ScanReport = { testcases: 0, findings: [], scannerErrors: [], skippedChecks: [] }
  const parser = sax.parser(true, { trim: false, normalize: false, position: true })
  let root: string | undefined
  let testcase: OpenTestcase | undefined
  let failure: Error | undefined
  let depth = 0
  let attributes = 0

  const fail = (message: string): void => {
    failure ??= new ReportError(`${message} (line ${parser.line + 1}, column ${parser.column + 1})`)
  }
  parser.onerror = error => {
    const reason = error.message.split('\n')[0] ?? ''
    const markup = /^Max buffer length exceeded: (\w+)$/.exec(reason)?.[1]
    if (markup) {
      return fail(
        `The report has ${MARKUP_NAMES[markup] ?? 'a piece of markup'} longer than ${MAX_MARKUP_CHARS.toLocaleString('en')} characters, which no JUnit report has; refusing it`
      )
    }
    // The reason may quote the report (an unmatched tag name): keep it short.
    fail(`The report is not well-formed XML: ${clip(reason, 200)}`)
  }
  parser.ondoctype = () =>
    fail('The report has a DOCTYPE declaration, which a JUnit report never has; refusing it')
  parser.onopentagstart = () => {
    attributes = 0
    if (++depth > MAX_DEPTH) fail(`The report nests elements deeper than ${MAX_DEPTH} levels; refusing it`)
  }
  parser.onattribute = () => {
    if (++attributes === MAX_ATTRIBUTES + 1)
      fail(`The report has an element with more than ${MAX_ATTRIBUTES} attributes; refusing it`)
  }
  parser.onopentag = tag => {
    const attribute = (name: string): string => {
      const value = tag.attributes[name]
      return typeof value === 'string' ? value : ''
    }
    if (root === undefined) {
      root = tag.name
      if (root !== 'testsuites' && root !== 'testsuite') {
        fail(`The document is not a JUnit report: its root element is <${clip(root, 100)}>, not <testsuites>`)
      }
      return
    }
    if (tag.name === 'testcase') {
      report.testcases++
      testcase = { scanner: scannerName(attribute('classname')), title: attribute('name') }
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
    depth--
    if (testcase?.outcome?.open === name) testcase.outcome.open = undefined
    if (name !== 'testcase' || !testcase) return
    record(report, testcase)
    testcase = undefined
    if (report.findings.length + report.scannerErrors.length + report.skippedChecks.length > MAX_OUTCOMES) {
      fail(
        `The report has more than ${MAX_OUTCOMES} findings, scanner errors and skipped checks, far beyond any real scan; refusing it`
      )
    }
  }

  // Decoded here so that a character split between two chunks stays whole.
  const decoder = new StringDecoder('utf8')
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk)
    for (let start = 0; start < text.length; start += WRITE_CHARS) {
      parser.write(text.slice(start, start + WRITE_CHARS))
      if (failure) throw failure
      compactOpenMarkup(parser)
    }
  }
  parser.write(decoder.end())
  if (failure) throw failure
  parser.close()
  if (failure) throw failure
  if (root === undefined) throw new ReportError('The report is empty: it has no XML element')
  return report
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
  const scanner = compact(clip(testcase.scanner, MAX_NAME))
  const title = compact(clip(titleWithoutCounter(testcase.title), MAX_NAME))
  const message = compact(clip(outcome.message || outcome.text.trim()))
  if (outcome.kind === 'finding') {
    const type = outcome.type.trim().toLowerCase()
    const known = SEVERITIES.includes(type as KnownSeverity)
    const finding: Finding = {
      scanner,
      title,
      severity: known ? (type as KnownSeverity) : 'unknown',
      reportedType: compact(clip(outcome.type.trim(), 100)),
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
 * A compact copy of a string. sax builds markup a character at a time, and V8 keeps such a string as a
 * chain of pieces, some 30 bytes per character, until it is copied. A JSON round trip copies it whole,
 * every code unit as it was. Measured on a million findings: 2.1 GB kept instead of 0.5 GB.
 */
function compact(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string
}

/** sax's buffers that grow a character at a time while a piece of markup is open. */
const GROWING_BUFFERS = [
  'attribValue',
  'attribName',
  'tagName',
  'comment',
  'doctype',
  'sgmlDecl',
  'procInstBody',
  'cdata'
]

/**
 * Long markup that is still open is copied compact after each write, so that up to MAX_MARKUP_CHARS it
 * costs about its length, not thirty times that. Replacing a buffer with an equal string changes nothing
 * for sax; the buffers are plain properties of the parser that its type definitions do not declare.
 */
function compactOpenMarkup(parser: sax.SAXParser): void {
  const buffers = parser as unknown as Record<string, unknown>
  for (const name of GROWING_BUFFERS) {
    const value = buffers[name]
    if (typeof value === 'string' && value.length > WRITE_CHARS) buffers[name] = compact(value)
  }
}

function clip(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
