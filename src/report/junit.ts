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
/**
 * sax fails on any single piece of markup (an attribute value, a name, a comment) longer than its
 * buffer limit, and whether it notices depends on how the chunks arrive. Real messages are short; this
 * limit keeps any report with sane markup parseable however the network splits it, and still bounds the
 * memory a hostile one can take.
 */
export const MAX_MARKUP_CHARS = 4 * 1024 * 1024
// @types/sax does not declare this module-wide setting.
;(sax as typeof sax & { MAX_BUFFER_LENGTH: number }).MAX_BUFFER_LENGTH = MAX_MARKUP_CHARS

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

  const fail = (message: string): void => {
    failure ??= new ReportError(`${message} (line ${parser.line + 1}, column ${parser.column + 1})`)
  }
  parser.onerror = error => {
    const reason = error.message.split('\n')[0] ?? ''
    fail(
      reason.startsWith('Max buffer length exceeded')
        ? `The report has a piece of markup longer than ${MAX_MARKUP_CHARS.toLocaleString('en')} characters (${reason})`
        : `The report is not well-formed XML: ${reason}`
    )
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
    if (testcase?.outcome?.open === name) testcase.outcome.open = undefined
    if (name !== 'testcase' || !testcase) return
    record(report, testcase)
    testcase = undefined
  }

  // Decoded here so that a character split between two chunks stays whole.
  const decoder = new StringDecoder('utf8')
  for await (const chunk of source) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.write(chunk))
    if (failure) throw failure
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
  const title = titleWithoutCounter(testcase.title)
  const message = clip(outcome.message || outcome.text.trim())
  if (outcome.kind === 'finding') {
    const type = outcome.type.trim().toLowerCase()
    const known = SEVERITIES.includes(type as KnownSeverity)
    const finding: Finding = {
      scanner: testcase.scanner,
      title,
      severity: known ? (type as KnownSeverity) : 'unknown',
      reportedType: clip(outcome.type.trim(), 100),
      message,
      fingerprint: fingerprint({ scanner: testcase.scanner, title, message }),
      ...locate(message)
    }
    report.findings.push(finding)
    return
  }
  const note: ScannerNote = { scanner: testcase.scanner, title, message }
  if (outcome.kind === 'error') report.scannerErrors.push(note)
  else report.skippedChecks.push(note)
}

function clip(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
