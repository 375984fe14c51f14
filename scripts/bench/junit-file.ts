// Big JUnit reports for the report-processing benchmark, written to a file line by line so that a
// million testcases never sit in memory. The shape is the simulator's (simulator/junit.ts); `checkShape`
// proves it by comparing a small file with renderJunitReport's output byte for byte.
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { escapeAttribute, PASSED_CHECKS, renderJunitReport } from '../../simulator/junit.js'
import { DEMO_FINDINGS, type SimulatedFinding } from '../../simulator/webhook-api.js'

/** The documented example report has 440 failures among 16553 testcases; big reports keep that share. */
export const FAILURE_SHARE = 440 / 16553

export interface ReportShape {
  testcases: number
  /** <failure> elements: findings, scanner errors and skipped checks. */
  failures: number
  /** Failures that are vulnerabilities (not `error` or `skipped`). */
  findings: number
}

/**
 * `failures` findings cycling through the demo findings, each on its own page so no two are alike; pages
 * under another `site` make another target's report, with no finding alike to this one's.
 */
export function benchFindings(failures: number, site = 'app'): SimulatedFinding[] {
  return Array.from({ length: failures }, (_, index) => {
    const demo = DEMO_FINDINGS[index % DEMO_FINDINGS.length]!
    return { ...demo, message: `${demo.message} (page /${site}/${index})` }
  })
}

export function shapeOf(testcases: number): ReportShape {
  const failures = Math.round(testcases * FAILURE_SHARE)
  const findings = benchFindings(failures).filter(f => !['error', 'skipped'].includes(f.severity)).length
  return { testcases, failures, findings }
}

/**
 * Writes a report of `testcases` testcases, the share FAILURE_SHARE of them failures, to `path`; its
 * findings are on pages under `site` (see benchFindings).
 */
export async function writeJunitReport(path: string, testcases: number, site = 'app'): Promise<ReportShape> {
  const shape = shapeOf(testcases)
  const findings = benchFindings(shape.failures, site)
  await writeLines(path, reportLines(findings, testcases - shape.failures))
  return shape
}

/** Throws unless the file writer produces exactly what the simulator renders. */
export async function checkShape(path: string): Promise<void> {
  const findings = benchFindings(25)
  await writeLines(path, reportLines(findings, 975))
  if ((await readFile(path, 'utf8')) !== renderJunitReport(findings, 975)) {
    throw new Error(`scripts/bench/junit-file.ts no longer writes what simulator/junit.ts renders`)
  }
}

function* reportLines(findings: SimulatedFinding[], passedChecks: number): Generator<string> {
  const kinds = findings.map(finding => finding.severity.toLowerCase())
  const errors = kinds.filter(kind => kind === 'error').length
  const skipped = kinds.filter(kind => kind === 'skipped').length
  const failures = findings.length - errors - skipped
  const tests = findings.length + passedChecks
  yield `<testsuites name="" tests="${tests}" disabled="0" errors="${errors}" failures="${failures}" time="0">`
  yield `  <testsuite name="Crashtest Security Suite" tests="${tests}" disabled="0" errors="${errors}" failures="${failures}" skipped="${skipped}" time="0">`
  let counter = 0
  for (const finding of findings) {
    yield `${opening(finding.scanner, finding.title, ++counter)}>`
    yield `      <failure message="${escapeAttribute(finding.message)}" type="${escapeAttribute(finding.severity)}"/>`
    yield '    </testcase>'
  }
  for (let index = 0; index < passedChecks; index++) {
    const check = PASSED_CHECKS[index % PASSED_CHECKS.length]!
    yield `${opening(check.scanner, check.title, ++counter)}/>`
  }
  yield '  </testsuite>'
  yield '</testsuites>'
  yield ''
}

function opening(scanner: string, title: string, counter: number): string {
  return `    <testcase classname="${escapeAttribute(`${scanner}.crashtest.cloud`)}" name="${escapeAttribute(`${title} (${counter})`)}"`
}

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const file = createWriteStream(path)
  let batch: string[] = []
  let first = true
  const flush = async (): Promise<void> => {
    const text = (first ? '' : '\n') + batch.join('\n')
    first = false
    batch = []
    if (!file.write(text)) await once(file, 'drain')
  }
  for (const line of lines) {
    batch.push(line)
    if (batch.length >= 10_000) await flush()
  }
  if (batch.length > 0) await flush()
  file.end()
  await once(file, 'finish')
}
