// Renders a JUnit report in the shape the Crashtest service produces (see
// /work/shared/docs/crashtest-webhook-api.md): no XML declaration, one suite, findings as testcases with a
// <failure> child, passed checks as bare testcases, and a running counter in every testcase name.
import type { SimulatedFinding } from './webhook-api.js'

const SUITE_NAME = 'Crashtest Security Suite'
const CLASSNAME_SUFFIX = '.crashtest.cloud'

// The real report lists thousands of checks that found nothing; cycling through several scanners keeps
// the simulated ones from looking like a single repeated line.
const PASSED_CHECKS: ReadonlyArray<{ scanner: string; title: string }> = [
  { scanner: 'xxe', title: 'XML External Entity (XXE)' },
  { scanner: 'sqlinjection', title: 'SQL Injection' },
  { scanner: 'portscan', title: 'Portscan' },
  { scanner: 'xss', title: 'Cross-Site Scripting (XSS)' },
  { scanner: 'commandinjection', title: 'Command Injection' },
  { scanner: 'ssl', title: 'Transport Layer Security (TLS/SSL)' },
  { scanner: 'fileinclusion', title: 'File Inclusion' },
  { scanner: 'headers', title: 'HTTP Security Headers' }
]

interface Testcase {
  scanner: string
  title: string
  failure?: { message: string; type: string }
}

interface Totals {
  tests: number
  errors: number
  failures: number
  skipped: number
}

const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // Kept as character references because a parser would otherwise normalise them to spaces.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;'
}

// Characters XML 1.0 forbids even as references (C0 controls, lone surrogates, U+FFFE/U+FFFF); they
// become U+FFFD so the simulated report stays well-formed. Malformed reports are what `reportBody` is for.
const ATTRIBUTE_UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[&<>"'\t\n\r]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

function escapeAttribute(value: string): string {
  return value.replace(ATTRIBUTE_UNSAFE, character => ATTRIBUTE_ESCAPES[character] ?? '\uFFFD')
}

export function renderJunitReport(
  findings: readonly SimulatedFinding[],
  passedChecks: number,
  timeSeconds = 0
): string {
  return [...junitReportLines(findings, passedChecks, timeSeconds)].join('\n')
}

/**
 * The report's lines one by one (the last one empty), so that a report of a million testcases can be
 * written to a file without ever being whole in memory.
 */
export function* junitReportLines(
  findings: readonly SimulatedFinding[],
  passedChecks: number,
  timeSeconds = 0
): Generator<string> {
  if (!Number.isInteger(passedChecks) || passedChecks < 0) {
    throw new RangeError(`passedChecks must be a non-negative integer, got ${passedChecks}`)
  }
  const totals = countTotals(findings, findings.length + passedChecks)
  const time = String(timeSeconds)
  yield `<testsuites name="" tests="${totals.tests}" disabled="0" errors="${totals.errors}" failures="${totals.failures}" time="${time}">`
  yield `  <testsuite name="${SUITE_NAME}" tests="${totals.tests}" disabled="0" errors="${totals.errors}" failures="${totals.failures}" skipped="${totals.skipped}" time="${time}">`
  let counter = 0
  for (const finding of findings) {
    const failure = { message: finding.message, type: finding.severity }
    yield renderTestcase({ scanner: finding.scanner, title: finding.title, failure }, ++counter)
  }
  for (let index = 0; index < passedChecks; index++) {
    yield renderTestcase(PASSED_CHECKS[index % PASSED_CHECKS.length]!, ++counter)
  }
  yield '  </testsuite>'
  yield '</testsuites>'
  yield ''
}

// A scanner error or a skipped check is a <failure> too, but JUnit readers count it separately.
function countTotals(findings: readonly SimulatedFinding[], tests: number): Totals {
  const kinds = findings.map(finding => finding.severity.toLowerCase())
  const errors = kinds.filter(kind => kind === 'error').length
  const skipped = kinds.filter(kind => kind === 'skipped').length
  return { tests, errors, skipped, failures: findings.length - errors - skipped }
}

// `counter` mirrors the real report: it runs across the whole report, so it is not stable between scans.
function renderTestcase(testcase: Testcase, counter: number): string {
  const opening = `    <testcase classname="${escapeAttribute(testcase.scanner + CLASSNAME_SUFFIX)}" name="${escapeAttribute(`${testcase.title} (${counter})`)}"`
  if (!testcase.failure) return `${opening}/>`
  const failure = `      <failure message="${escapeAttribute(testcase.failure.message)}" type="${escapeAttribute(testcase.failure.type)}"/>`
  return [`${opening}>`, failure, '    </testcase>'].join('\n')
}
