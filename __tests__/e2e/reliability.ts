// The reliability promise of docs/reliability.md, row by row: faults of the service and the network,
// hostile reports and cancellation, each run against the bundled action on Node 24. A row's name is the
// first cell of its line in the docs, and starts with its section ("start: …"); the reliability-*.e2e.test.ts
// files each test some sections, so that Jest runs them side by side, and the first of them checks that the
// docs and this table agree.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import {
  startGitHubApi,
  type FakeArtifact,
  type FakeGitHubApi,
  type FakeRun,
  type GitHubApiOptions
} from '../../simulator/github-api.js'
import { renderJunitReport } from '../../simulator/junit.js'
import { DEMO_FINDINGS, type RecordedRequest, type TargetScenario } from '../../simulator/webhook-api.js'
import type { Result } from '../../src/engine/run/outcome.js'
import { failureMessage, runScenario, type Scenario, type ScenarioRun } from './fixtures.js'
import { expectNoSecrets, JOB_TOKEN } from './harness.js'
import {
  billionLaughs,
  binaryGarbage,
  deepNesting,
  enormousAttribute,
  enormousElementName,
  externalEntities,
  largeReport,
  manyAttributes,
  manyFindings,
  sha256OfFile,
  writeReport,
  xinclude
} from './hostile-reports.js'

const DOCS = fileURLToPath(new URL('../../docs/reliability.md', import.meta.url))
const PEAK_RSS_PROBE = pathToFileURL(fileURLToPath(new URL('./peak-rss.mjs', import.meta.url))).href
// Made in testRows' beforeAll, which (like afterAll) does not run when a filter skips every test there.
const WORK = join(tmpdir(), `crashtest-reliability-${randomUUID()}`)

const DEMO_REPORT = renderJunitReport(DEMO_FINDINGS, 6, 1)
/** A scenario served the demo report, judged with `fail-on: never`, so that a run that copes passes. */
const copes = (target: TargetScenario, inputs: Record<string, string> = {}): Scenario => ({
  target: { reportBody: DEMO_REPORT, ...target },
  inputs: { 'fail-on': 'never', ...inputs }
})
const QUICK = { 'request-timeout': '1' }

// ---- baseline: auto, against a fake of GitHub's API of its own for each row ----
const githubApis: FakeGitHubApi[] = []
const SCHEDULE = { name: 'schedule', payload: { repository: { default_branch: 'main' } } }
/** A scheduled run with `baseline: auto`, whose workflow `ci.yml` has had these runs. */
async function withEarlierRuns(
  runs: Omit<FakeRun, 'workflow'>[],
  options: Partial<GitHubApiOptions> = {}
): Promise<Scenario> {
  const api = await startGitHubApi({ token: JOB_TOKEN, ...options })
  githubApis.push(api)
  for (const run of runs) api.addRun('octo/app', { workflow: 'ci.yml', ...run })
  return { ...copes({}, { baseline: 'auto' }), event: SCHEDULE, env: { GITHUB_API_URL: api.url } }
}
/** The report artifact the action uploads after a scan of a target served this report. */
async function uploadedReport(reportBody = DEMO_REPORT): Promise<FakeArtifact> {
  const [artifact] = (await runScenario(copes({ reportBody }))).artifacts
  if (!artifact) throw new Error('the earlier run uploaded no artifact')
  return { name: artifact.name, zip: artifact.zip }
}
/** The baseline's notice as the log has it (the workflow command escapes the title's colon). */
const noBaseline = (reason: string) => `::notice title=Crashtest%3A no baseline::No baseline: ${reason}`
const SHORT_TIMEOUT = { timeout: '0.05' } // 3 s
/** A local file whose content must never show in anything the action writes. */
const LOCAL_SECRET = 'local-file-content-never-to-be-shown-5d0c1e9a'
const LOCAL_SECRET_FILE = join(WORK, 'local-secret.txt')
const PASSWD = existsSync('/etc/passwd') ? readFileSync('/etc/passwd', 'utf8').split('\n')[0] : undefined

/** A report written to a file in the test's folder, served from there by the simulator. */
async function reportFile(name: string, content: Parameters<typeof writeReport>[1]): Promise<TargetScenario> {
  const path = join(WORK, name)
  if (!existsSync(path)) await writeReport(path, content)
  return { reportFile: path }
}
const LARGE_REPORT = { testcases: 1_000_000, findingEvery: 100 }
const largeReportFile = () => reportFile('large-report.xml', largeReport(LARGE_REPORT))

interface Row {
  name: string
  scenario: () => Scenario | Promise<Scenario>
  exitCode: 0 | 1
  result: Result
  /** Texts the failure message must hold, or the log when the run passes. */
  says: Array<string | RegExp>
  /** The report is on disk, byte for byte as served, and `report-path` names it; otherwise neither. */
  report: boolean
  /** Signals sent, all at once, as soon as the log matches `when` (plus `afterMs`). */
  cancel?: { signals: NodeJS.Signals[]; when: RegExp; afterMs?: number }
  /** The action's peak resident set size must stay below this. */
  maxRssMiB?: number
  check?: (run: RowRun) => void | Promise<void>
}

interface RowRun extends ScenarioRun {
  scenario: Scenario
  /** Requests to one endpoint, in order. */
  calls(endpoint: 'start' | 'status' | 'report'): RecordedRequest[]
  signalledAt?: number
  exitedAt: number
  peakRssMiB?: number
}

/** A report without a testcase passes the rules, but the log, an annotation and the summary say so. */
function expectNoChecksTold(run: RowRun): void {
  expect(run.outputs.testcases).toBe('0')
  const warnings = run.commands.filter(c => c.command === 'warning')
  expect(warnings.map(w => w.properties.title)).toEqual(['Crashtest: the scan checked nothing'])
  expect(warnings[0]?.message).toContain('the target was unreachable from the service')
  expect(run.summary).toContain('⚠️ The report has no testcase: the scan checked nothing')
}

const ROWS: Row[] = [
  // ---- the service and the network: start ----
  {
    name: 'start: 503, 502 and 503 in a row',
    scenario: () => copes({ faults: { start: [{ status: 503 }, { status: 502 }, { status: 503 }] } }),
    exitCode: 0,
    result: 'passed',
    says: ['The start request answered HTTP 502: Bad Gateway; no scan was started. Attempt 3'],
    report: true,
    check: run => expect(run.count('start')).toBe(4)
  },
  {
    name: 'start: HTTP 500',
    scenario: () => copes({ faults: { start: [{ status: 500 }] } }),
    exitCode: 1,
    result: 'error',
    says: ['The start request answered HTTP 500', 'A scan may have started all the same'],
    report: false,
    check: run => expect(run.count('start')).toBe(1)
  },
  {
    name: 'start: 429 with Retry-After in seconds',
    scenario: () => copes({ faults: { start: [{ status: 429, headers: { 'retry-after': '2' } }] } }),
    exitCode: 0,
    result: 'passed',
    says: ['The start request answered HTTP 429: Too Many Requests; no scan was started. Attempt 2 in 2s'],
    report: true,
    check: run => expect(gap(run.calls('start'))).toBeGreaterThanOrEqual(1950)
  },
  {
    name: 'start: 429 with Retry-After as an HTTP date',
    scenario: () => copes({ faults: { start: [{ status: 429, retryAfterDateMs: 3000 }] } }),
    exitCode: 0,
    result: 'passed',
    says: ['The start request answered HTTP 429: Too Many Requests; no scan was started. Attempt 2'],
    report: true,
    // The date has whole seconds: 3 s ahead is 2 to 3 s ahead.
    check: run => expect(gap(run.calls('start'))).toBeGreaterThanOrEqual(1500)
  },
  {
    name: 'start: 429 with Retry-After beyond the time-out',
    scenario: () =>
      copes({ faults: { start: [{ status: 429, headers: { 'retry-after': '86400' } }] } }, { timeout: '1' }),
    exitCode: 1,
    result: 'error',
    says: ['The start request answered HTTP 429', 'No scan was started; try again later'],
    report: false,
    check: run => {
      expect(run.count('start')).toBe(1)
      expect(run.durationMs).toBeLessThan(10_000)
    }
  },
  {
    name: 'start: connection dropped',
    scenario: () => copes({ faults: { start: [{ drop: true }] } }),
    exitCode: 1,
    result: 'error',
    says: ['The start request failed: socket hang up', 'A scan may have started all the same'],
    report: false,
    check: run => expect(run.count('start')).toBe(1)
  },
  {
    name: 'start: no answer within request-timeout',
    scenario: () => copes({ faults: { start: [{ delayMs: 5000 }] } }, QUICK),
    exitCode: 1,
    result: 'error',
    says: [
      'The start request failed: no answer within 1 s (request-timeout)',
      'A scan may have started all the same'
    ],
    report: false,
    check: run => expect(run.durationMs).toBeLessThan(5000)
  },
  {
    name: 'start: a body that is not JSON',
    scenario: () =>
      copes({ faults: { start: [{ status: 200, body: '<html><body>Welcome</body></html>' }] } }),
    exitCode: 1,
    result: 'error',
    says: ['The start request answered HTTP 200 with a body that is not JSON', 'A scan may have started'],
    report: false
  },
  {
    name: 'start: truncated JSON',
    scenario: () =>
      copes({
        faults: { start: [{ status: 200, body: '{"message":"webhook_scan_started","data":{"scanI' }] }
      }),
    exitCode: 1,
    result: 'error',
    says: ['The start request answered HTTP 200 with a body that is not JSON', 'A scan may have started'],
    report: false
  },
  {
    name: 'start: JSON without a scan id',
    scenario: () =>
      copes({ faults: { start: [{ status: 200, body: '{"message":"webhook_scan_started","data":{}}' }] } }),
    exitCode: 1,
    result: 'error',
    says: ['The start request answered HTTP 200 without a scan id (data.scanId); a scan may have started'],
    report: false
  },
  {
    name: 'start: an HTTP status never seen before (418)',
    scenario: () => copes({ faults: { start: [{ status: 418, body: '{"message":"No coffee here"}' }] } }),
    exitCode: 1,
    result: 'error',
    says: ['Could not start the scan: The start request answered HTTP 418: No coffee here'],
    report: false,
    check: run => expect(run.count('start')).toBe(1)
  },
  {
    name: 'start: a scan already running that never ends',
    scenario: () => copes({ alreadyRunning: Infinity }, SHORT_TIMEOUT),
    exitCode: 1,
    result: 'timeout',
    says: ['Another scan of this target was still running after the time-out of 3s, so no scan was started'],
    report: false,
    check: run => expect(run.count('start')).toBeGreaterThanOrEqual(3)
  },

  // ---- the service and the network: status ----
  {
    name: 'status: 500, 502 and 503 in a row',
    scenario: () => copes({ faults: { status: [{ status: 500 }, { status: 502 }, { status: 503 }] } }),
    exitCode: 0,
    result: 'passed',
    says: ['The status request answered HTTP 503: Service Unavailable (3 in a row); trying again'],
    report: true
  },
  {
    name: 'status: 429 with Retry-After in seconds',
    scenario: () => copes({ faults: { status: [{ status: 429, headers: { 'retry-after': '2' } }] } }),
    exitCode: 0,
    result: 'passed',
    says: ['The status request answered HTTP 429: Too Many Requests (1 in a row); trying again in 2s'],
    report: true,
    check: run => expect(gap(run.calls('status'))).toBeGreaterThanOrEqual(1950)
  },
  {
    name: 'status: connection dropped',
    scenario: () => copes({ faults: { status: [{ drop: true }, { drop: true }] } }),
    exitCode: 0,
    result: 'passed',
    says: ['The status request failed: socket hang up (2 in a row)'],
    report: true
  },
  {
    name: 'status: no answer within request-timeout',
    scenario: () => copes({ faults: { status: [{ delayMs: 5000 }] } }, QUICK),
    exitCode: 0,
    result: 'passed',
    says: ['The status request failed: no answer within 1 s (request-timeout) (1 in a row)'],
    report: true
  },
  {
    name: 'status: a body that is not JSON',
    scenario: () => copes({ faults: { status: [{ status: 200, body: '<html>Maintenance</html>' }] } }),
    exitCode: 0,
    result: 'passed',
    says: ['The status request answered HTTP 200 with a body that is not JSON (1 in a row)'],
    report: true
  },
  {
    name: 'status: truncated JSON',
    scenario: () =>
      copes({ faults: { status: [{ status: 200, body: '{"message":"webhook_scan_status","data":{"sta' }] } }),
    exitCode: 0,
    result: 'passed',
    says: ['The status request answered HTTP 200 with a body that is not JSON (1 in a row)'],
    report: true
  },
  {
    name: 'status: JSON without a status code',
    scenario: () =>
      copes({ faults: { status: [{ status: 200, body: '{"message":"webhook_scan_status","data":{}}' }] } }),
    exitCode: 0,
    result: 'passed',
    says: [
      'The status request answered HTTP 200 without a status code (data.status.status_code) (1 in a row)'
    ],
    report: true
  },
  {
    name: 'status: the scan id and status code as text ("102")',
    scenario: () => copes({ numbersAsText: true, finishedStatusCode: 102, runningMs: 1500 }),
    exitCode: 0,
    result: 'passed',
    says: ['Status 101 (running)', 'Status 102 (finished)'],
    report: true,
    check: run => {
      expect(run.outputs['scan-id']).toBe('1001')
      expect(run.outputs['status-code']).toBe('102')
      expect(run.count('status')).toBeGreaterThanOrEqual(2)
    }
  },
  {
    name: 'status: a broken answer ten times in a row',
    scenario: () =>
      copes({ faults: { status: Array.from({ length: 12 }, () => ({ status: 200, body: '{}' })) } }),
    exitCode: 1,
    result: 'error',
    says: [
      'The status of scan 1001 could not be read 10 times in a row',
      'The scan may still be running: check it in the Crashtest dashboard'
    ],
    report: false,
    check: run => {
      expect(run.count('status')).toBe(10)
      expect(run.outputs['scan-id']).toBe('1001')
    }
  },
  {
    name: 'status: an HTTP status never seen before (599)',
    scenario: () => copes({ faults: { status: [{ status: 599 }] } }),
    exitCode: 0,
    result: 'passed',
    says: ['The status request answered HTTP 599'],
    report: true
  },
  {
    name: 'status: an HTTP status never seen before (418)',
    scenario: () => copes({ faults: { status: [{ status: 418, body: '{"message":"No coffee here"}' }] } }),
    exitCode: 1,
    result: 'error',
    says: ['Could not follow scan 1001: The status request answered HTTP 418: No coffee here'],
    report: false
  },
  {
    name: 'status: a scan status code never seen before (999)',
    scenario: () => copes({ finishedStatusCode: 999 }),
    exitCode: 0,
    result: 'passed',
    says: ['Status 999 (finished)'],
    report: true,
    check: run => expect(run.outputs['status-code']).toBe('999')
  },
  {
    name: 'status: a scan status code below 100 (42)',
    scenario: () => copes({ finishedStatusCode: 42 }, SHORT_TIMEOUT),
    exitCode: 1,
    result: 'timeout',
    says: ['Scan 1001 did not finish within the time-out of 3s (last status 42)'],
    report: false,
    check: run => expect(run.stdout).toContain('Status 42 (not finished)')
  },
  {
    name: 'status: a scan that never finishes',
    scenario: () => copes({ runningMs: 600_000 }, SHORT_TIMEOUT),
    exitCode: 1,
    result: 'timeout',
    says: ['Scan 1001 did not finish within the time-out of 3s (last status 101). It goes on running'],
    report: false
  },

  // ---- the service and the network: report ----
  {
    name: 'report: 500, 502 and 503 in a row',
    scenario: () => copes({ faults: { report: [{ status: 500 }, { status: 502 }, { status: 503 }] } }),
    exitCode: 0,
    result: 'passed',
    says: ['The report request answered HTTP 503: Service Unavailable; attempt 4 of 10'],
    report: true
  },
  {
    name: 'report: not ready three times',
    scenario: () => copes({ reportNotReady: 3 }),
    exitCode: 0,
    result: 'passed',
    says: [
      'The report request answered HTTP 400: Report not ready (the report is not ready yet); attempt 4 of 10'
    ],
    report: true,
    check: run => expect(run.count('report')).toBe(4)
  },
  {
    name: 'report: never ready',
    scenario: () => copes({ reportNotReady: Infinity }),
    exitCode: 1,
    result: 'error',
    says: [
      /Could not download the report of scan 1001 in \d+s of tries: The report request answered HTTP 400: Report not ready/,
      'The scan itself has finished: its report can be downloaded from the Crashtest dashboard'
    ],
    report: false,
    check: run => {
      expect(run.count('report')).toBe(10)
      expect(run.outputs).toMatchObject({ 'scan-id': '1001', 'status-code': '200' })
    }
  },
  {
    name: 'report: 429 with Retry-After in seconds',
    scenario: () => copes({ faults: { report: [{ status: 429, headers: { 'retry-after': '2' } }] } }),
    exitCode: 0,
    result: 'passed',
    says: ['The report request answered HTTP 429: Too Many Requests; attempt 2 of 10 in 2s'],
    report: true,
    check: run => expect(gap(run.calls('report'))).toBeGreaterThanOrEqual(1950)
  },
  {
    name: 'report: 429 with Retry-After beyond ten poll intervals',
    scenario: () => copes({ faults: { report: [{ status: 429, headers: { 'retry-after': '3600' } }] } }),
    exitCode: 1,
    result: 'error',
    says: ['Could not download the report of scan 1001', 'The report request answered HTTP 429'],
    report: false,
    check: run => expect(run.count('report')).toBe(1)
  },
  {
    name: 'report: connection dropped',
    scenario: () => copes({ faults: { report: [{ drop: true }] } }),
    exitCode: 0,
    result: 'passed',
    says: ['The report request failed: socket hang up; attempt 2 of 10'],
    report: true
  },
  {
    name: 'report: transfer cut off midway',
    scenario: () => copes({ faults: { report: [{ cutAfterBytes: 700, then: 'drop' }] } }),
    exitCode: 0,
    result: 'passed',
    says: [
      'The report request failed: the connection closed after 700 of 2855 bytes of the answer; attempt 2'
    ],
    report: true,
    check: run => expect(run.count('report')).toBe(2)
  },
  {
    name: 'report: transfer stalls longer than request-timeout',
    scenario: () => copes({ faults: { report: [{ cutAfterBytes: 700, then: 'stall' }] } }, QUICK),
    exitCode: 0,
    result: 'passed',
    says: [
      'The report request failed: no data for 1 s while reading the answer (request-timeout); attempt 2'
    ],
    report: true
  },
  {
    name: 'report: no answer within request-timeout',
    scenario: () => copes({ faults: { report: [{ delayMs: 5000 }] } }, QUICK),
    exitCode: 0,
    result: 'passed',
    says: ['The report request failed: no answer within 1 s (request-timeout); attempt 2 of 10'],
    report: true
  },
  {
    name: 'report: no testcase at all',
    scenario: () => copes({ reportBody: '<testsuites tests="0"/>' }, { 'fail-on': 'high' }),
    exitCode: 0,
    result: 'passed',
    says: ['0 testcases: 0 findings', 'The report has no testcase: the scan checked nothing'],
    report: true,
    check: run => expectNoChecksTold(run)
  },
  {
    name: 'report: a suite without a testcase',
    scenario: () =>
      copes(
        {
          reportBody:
            '<testsuites><testsuite name="Crashtest Security Suite" tests="0"></testsuite></testsuites>'
        },
        { 'fail-on': 'high' }
      ),
    exitCode: 0,
    result: 'passed',
    says: ['The report has no testcase: the scan checked nothing'],
    report: true,
    check: run => expectNoChecksTold(run)
  },

  // ---- hostile reports ----
  {
    name: 'hostile report: billion laughs',
    scenario: () => ({ target: { reportBody: billionLaughs() } }),
    exitCode: 1,
    result: 'error',
    says: ['The report has a DOCTYPE declaration, which a JUnit report never has; refusing it', 'kept at'],
    report: true,
    maxRssMiB: 160
  },
  {
    name: 'hostile report: external entities naming local files',
    scenario: () => ({
      target: { reportBody: externalEntities([LOCAL_SECRET_FILE, '/etc/passwd']) }
    }),
    exitCode: 1,
    result: 'error',
    says: ['The report has a DOCTYPE declaration, which a JUnit report never has; refusing it'],
    report: true,
    check: run => expectNoSecrets(run, PASSWD ? [LOCAL_SECRET, PASSWD] : [LOCAL_SECRET])
  },
  {
    name: 'hostile report: XInclude of a local file',
    scenario: () => ({ target: { reportBody: xinclude(LOCAL_SECRET_FILE) } }),
    exitCode: 1,
    result: 'failed',
    says: ['The scan broke the rules: fail-on: high — 1 finding of severity high or worse'],
    report: true,
    check: run => {
      expect(run.outputs).toMatchObject({ findings: '1', high: '1' })
      expectNoSecrets(run, [LOCAL_SECRET])
    }
  },
  {
    name: 'hostile report: a million nested elements',
    scenario: async () => ({ target: await reportFile('deep.xml', deepNesting(1_000_000)) }),
    exitCode: 1,
    result: 'error',
    says: ['The report nests elements deeper than 64 levels; refusing it'],
    report: true,
    maxRssMiB: 160
  },
  {
    name: 'hostile report: a 50 MB attribute value',
    scenario: async () => ({ target: await reportFile('huge-attribute.xml', enormousAttribute(50_000_000)) }),
    exitCode: 1,
    result: 'error',
    says: ['The report has an attribute value longer than 4,194,304 characters, which no JUnit report has'],
    report: true,
    maxRssMiB: 256
  },
  {
    name: 'hostile report: a 50 MB element name',
    scenario: async () => ({ target: await reportFile('huge-name.xml', enormousElementName(50_000_000)) }),
    exitCode: 1,
    result: 'error',
    says: ['The report has an element name longer than 4,194,304 characters, which no JUnit report has'],
    report: true,
    maxRssMiB: 256
  },
  {
    name: 'hostile report: a million attributes on one element',
    scenario: async () => ({ target: await reportFile('many-attributes.xml', manyAttributes(1_000_000)) }),
    exitCode: 1,
    result: 'error',
    says: ['The report has an element with more than 256 attributes; refusing it'],
    report: true,
    maxRssMiB: 192
  },
  {
    name: 'hostile report: more findings than any scan has',
    scenario: async () => ({ target: await reportFile('many-findings.xml', manyFindings(100_001)) }),
    exitCode: 1,
    result: 'error',
    says: ['The report has more than 100000 findings, scanner errors and skipped checks'],
    report: true,
    maxRssMiB: 384
  },
  {
    name: 'hostile report: truncated document',
    scenario: () => ({ target: { reportBody: DEMO_REPORT.slice(0, Math.floor(DEMO_REPORT.length / 2)) } }),
    exitCode: 1,
    result: 'error',
    says: ['The report is not well-formed XML', 'kept at'],
    report: true,
    check: run => expect(run.outputs.findings).toBeUndefined()
  },
  {
    name: 'hostile report: binary garbage',
    scenario: async () => ({ target: await reportFile('garbage.bin', binaryGarbage(1_000_000)) }),
    exitCode: 1,
    result: 'error',
    says: ['The report is not well-formed XML'],
    report: true
  },
  {
    name: 'hostile report: empty',
    scenario: () => ({ target: { reportBody: '' } }),
    exitCode: 1,
    result: 'error',
    says: ['The report is empty: it has no XML element'],
    report: true
  },
  {
    name: 'hostile report: an HTML page',
    scenario: () => ({ target: { reportBody: '<html><body><h1>Maintenance</h1></body></html>' } }),
    exitCode: 1,
    result: 'error',
    says: ['The document is not a JUnit report: its root element is <html>, not <testsuites>'],
    report: true
  },
  {
    name: 'hostile report: finding text that mentions people',
    scenario: () =>
      copes({
        reportBody: renderJunitReport(
          [{ scanner: 'xss', title: 'Echo @octocat', severity: 'low', message: 'cc @acme/security-team' }],
          1
        )
      }),
    exitCode: 0,
    result: 'passed',
    says: ['2 testcases: 1 findings'],
    report: true,
    check: run => {
      expect(run.summary).toContain('Echo @\u2060octocat')
      expect(run.summary).toContain('cc @\u2060acme/security-team')
      expect(run.summary).not.toMatch(/(^|[^\p{L}\p{N}_])@(octocat|acme)/u)
    }
  },
  {
    name: 'large report: 100 MB, a million testcases',
    scenario: async () => ({ target: await largeReportFile(), inputs: { 'fail-on': 'critical' } }),
    exitCode: 1,
    result: 'failed',
    says: ['The scan broke the rules: fail-on: critical — 2000 findings of severity critical or worse'],
    report: true,
    maxRssMiB: 256,
    check: run => {
      expect(statSync(run.scenario.target?.reportFile ?? '').size).toBeGreaterThan(100 * 1024 * 1024)
      expect(run.outputs).toMatchObject({ findings: '10000', critical: '2000', high: '2000', info: '2000' })
      expect(run.stdout).toContain('1000000 testcases: 10000 findings')
    }
  },

  // ---- cancellation ----
  {
    name: 'cancel: SIGINT while waiting for the scan',
    scenario: () => copes({ runningMs: 60_000 }),
    cancel: { signals: ['SIGINT'], when: /Status 101 \(running\)/ },
    exitCode: 1,
    result: 'error',
    says: [
      'The run was cancelled (SIGINT) while waiting for scan 1001 (last status 101)',
      'Scan 1001 keeps running on the service: the webhook API has no call to stop it'
    ],
    report: false,
    check: run => expectStoppedPolling(run)
  },
  {
    name: 'cancel: SIGTERM while waiting for the scan',
    scenario: () => copes({ runningMs: 60_000 }),
    cancel: { signals: ['SIGTERM'], when: /Status 101 \(running\)/ },
    exitCode: 1,
    result: 'error',
    says: [
      'The run was cancelled (SIGTERM) while waiting for scan 1001 (last status 101)',
      'Scan 1001 keeps running on the service'
    ],
    report: false,
    check: run => expectStoppedPolling(run)
  },
  {
    name: 'cancel: SIGTERM while the start request is unanswered',
    scenario: () => copes({ faults: { start: [{ delayMs: 20_000 }] } }),
    cancel: { signals: ['SIGTERM'], when: /::group::Start/, afterMs: 300 },
    exitCode: 1,
    result: 'error',
    says: ['The run was cancelled (SIGTERM) before the service confirmed a scan', 'a scan may be running'],
    report: false,
    check: run => expect(run.outputs['scan-id']).toBeUndefined()
  },
  {
    name: 'cancel: SIGINT while the report downloads',
    scenario: () => copes({ faults: { report: [{ cutAfterBytes: 700, then: 'stall' }] } }),
    cancel: { signals: ['SIGINT'], when: /::group::Report/, afterMs: 300 },
    exitCode: 1,
    result: 'error',
    says: [
      'The run was cancelled (SIGINT) before the report of scan 1001 was downloaded',
      'Scan 1001 has finished: its report can be downloaded from the Crashtest dashboard'
    ],
    report: false,
    check: run => expect(run.outputs).toMatchObject({ 'scan-id': '1001', 'status-code': '200' })
  },
  {
    name: 'cancel: SIGINT while a 100 MB report downloads and is read',
    scenario: async () => ({ target: await largeReportFile() }),
    cancel: { signals: ['SIGINT'], when: /::group::Report/, afterMs: 300 },
    exitCode: 1,
    result: 'error',
    says: ['The run was cancelled (SIGINT) before the report of scan 1001 was downloaded'],
    report: false,
    check: run => {
      expect(run.outputs.findings).toBeUndefined()
      expect(run.artifacts).toHaveLength(0)
    }
  },
  {
    name: 'cancel: SIGINT while the report is uploaded as an artifact',
    scenario: async () => ({ target: await largeReportFile() }),
    cancel: { signals: ['SIGINT'], when: /::group::Artifact/, afterMs: 50 },
    exitCode: 1,
    result: 'error',
    says: [
      /The run was cancelled \(SIGINT\) after the report of scan 1001 was downloaded; the report is kept at .*crashtest-report\.xml/
    ],
    report: true,
    check: run => {
      expect(run.outputs.findings).toBe('10000')
      // The client may have created the artifact before the signal; it is never finalized.
      expect(run.artifacts.filter(artifact => artifact.finalized)).toEqual([])
    }
  },
  {
    name: 'cancel: SIGINT and SIGTERM together',
    scenario: () => copes({ runningMs: 60_000 }),
    cancel: { signals: ['SIGINT', 'SIGTERM'], when: /Status 101 \(running\)/ },
    exitCode: 1,
    result: 'error',
    // Sent at once, they may arrive in either order.
    says: [
      /The run was cancelled \((SIGINT|SIGTERM)\) while waiting for scan 1001/,
      'Scan 1001 keeps running'
    ],
    report: false,
    check: run => {
      const first = /cancelled \((SIGINT|SIGTERM)\)/.exec(failureMessage(run))?.[1]
      const second = first === 'SIGINT' ? 'SIGTERM' : 'SIGINT'
      expect(run.stdout).toContain(`${first} received: the job is being cancelled; stopping.`)
      expect(run.stdout).toContain(`${second} received: already stopping.`)
      expectStoppedPolling(run)
    }
  },
  // ---- baseline: auto ----
  {
    name: 'baseline: no successful run of the workflow on the branch',
    scenario: async () =>
      withEarlierRuns([{ branch: 'main', conclusion: 'failure', artifacts: [await uploadedReport()] }]),
    exitCode: 0,
    result: 'passed',
    says: [noBaseline('no run of ci.yml on main has succeeded yet.'), 'Every finding is judged.'],
    report: true
  },
  {
    name: 'baseline: the report artifact has expired',
    scenario: async () =>
      withEarlierRuns([
        { branch: 'main', conclusion: 'success', artifacts: [{ ...(await uploadedReport()), expired: true }] }
      ]),
    exitCode: 0,
    result: 'passed',
    says: [/has expired\. Keep it longer with 'retention-days'/],
    report: true
  },
  {
    name: 'baseline: the artifact expires before it is downloaded (410)',
    scenario: async () =>
      withEarlierRuns([
        {
          branch: 'main',
          conclusion: 'success',
          artifacts: [{ ...(await uploadedReport()), expiresBeforeDownload: true }]
        }
      ]),
    exitCode: 0,
    result: 'passed',
    says: [/has expired\. Keep it longer with 'retention-days'/],
    report: true
  },
  {
    name: 'baseline: the token lacks actions: read (403)',
    scenario: () => withEarlierRuns([], { actionsRead: false }),
    exitCode: 0,
    result: 'passed',
    says: ["may not read the repository's Actions (HTTP 403). Grant the job `permissions: actions: read`."],
    report: true
  },
  {
    name: 'baseline: an API without the workflow or the Actions endpoints (404)',
    scenario: () => withEarlierRuns([], { workflows: [] }),
    exitCode: 0,
    result: 'passed',
    says: [noBaseline("the runs of ci.yml cannot be listed (HTTP 404): check 'baseline-workflow'")],
    report: true
  },
  {
    name: 'baseline: the run kept no report artifact',
    scenario: () => withEarlierRuns([{ branch: 'main', conclusion: 'success', artifacts: [] }]),
    exitCode: 0,
    result: 'passed',
    says: [/has no report artifact: it must upload its report/],
    report: true
  },
  {
    name: 'baseline: the report in the artifact is not a JUnit report',
    scenario: async () =>
      withEarlierRuns([
        { branch: 'main', conclusion: 'success', artifacts: [await uploadedReport('<testsuites><testcase')] }
      ]),
    exitCode: 0,
    result: 'passed',
    says: [/No baseline for target-1: crashtest-report\.xml of run \d+ cannot be read as a JUnit report/],
    report: true
  }
]

/** Milliseconds between the first two requests. */
function gap(requests: RecordedRequest[]): number {
  expect(requests.length).toBeGreaterThanOrEqual(2)
  return requests[1]!.at - requests[0]!.at
}

/** No status request reached the service after the signal (a request already on its way may). */
function expectStoppedPolling(run: RowRun): void {
  const late = run.calls('status').filter(request => request.at > (run.signalledAt ?? 0) + 200)
  expect(late).toEqual([])
}

function endpointOf(request: RecordedRequest): 'start' | 'status' | 'report' | 'other' {
  if (request.method === 'POST') return 'start'
  if (request.path.endsWith('/status')) return 'status'
  if (request.path.endsWith('/report/junit')) return 'report'
  return 'other'
}

async function servedHash(target: TargetScenario | undefined): Promise<string> {
  if (target?.reportFile) return sha256OfFile(target.reportFile)
  return createHash('sha256')
    .update(target?.reportBody ?? '')
    .digest('hex')
}

async function runRow(row: Row, index: number): Promise<RowRun> {
  const scenario = await row.scenario()
  const rssFile = join(WORK, `peak-rss-${index}`)
  const measure: Record<string, string> = row.maxRssMiB
    ? { NODE_OPTIONS: `--import=${PEAK_RSS_PROBE}`, PEAK_RSS_FILE: rssFile }
    : {}
  let spawnedAt = 0
  let signalledAt: number | undefined
  const onSpawn = (child: ChildProcess): void => {
    spawnedAt = Date.now()
    const cancel = row.cancel
    if (!cancel) return
    let log = ''
    const watch = (chunk: Buffer): void => {
      log += chunk.toString('utf8')
      if (!cancel.when.test(log)) return
      child.stdout?.off('data', watch)
      setTimeout(() => {
        signalledAt = Date.now()
        for (const signal of cancel.signals) child.kill(signal)
      }, cancel.afterMs ?? 0)
    }
    child.stdout?.on('data', watch)
  }
  const run = await runScenario({ ...scenario, env: { ...scenario.env, ...measure }, onSpawn })
  return {
    ...run,
    scenario,
    calls: endpoint => run.requests.filter(request => endpointOf(request) === endpoint),
    signalledAt,
    exitedAt: spawnedAt + run.durationMs,
    peakRssMiB: row.maxRssMiB ? Number(readFileSync(rssFile, 'utf8')) / 1024 : undefined
  }
}

/** The sections rows belong to: what their names start with, before the colon. */
export type Section =
  'start' | 'status' | 'report' | 'large report' | 'hostile report' | 'cancel' | 'baseline'

const sectionOf = (row: Row): string => row.name.slice(0, row.name.indexOf(':'))

/** Tests every row of these sections. */
export function testRows(sections: Section[]): void {
  const rows = ROWS.map((row, index) => [row.name, row, index] as const).filter(([, row]) =>
    (sections as string[]).includes(sectionOf(row))
  )
  beforeAll(() => {
    mkdirSync(WORK, { recursive: true })
    writeFileSync(LOCAL_SECRET_FILE, `${LOCAL_SECRET}\n`)
  })
  afterAll(async () => {
    rmSync(WORK, { recursive: true, force: true })
    await Promise.all(githubApis.splice(0).map(api => api.close()))
  })

  describe(`reliability (docs/reliability.md): ${sections.join(', ')}`, () => {
    it('has rows in each of these sections', () => {
      for (const section of sections) expect(rows.map(([, row]) => sectionOf(row))).toContain(section)
    })

    it.each(rows)('%s', async (_name, row, index) => {
      const run = await runRow(row, index)
      await expectRow(row, run)
      await row.check?.(run)
    })
  })
}

async function expectRow(row: Row, run: RowRun): Promise<void> {
  expect(run.timedOut).toBe(false)
  expect(run.exitCode).toBe(row.exitCode)
  expect(run.outputs.result).toBe(row.result)
  const said = row.exitCode === 0 ? run.stdout : failureMessage(run)
  for (const text of row.says) {
    if (typeof text === 'string') expect(said).toContain(text)
    else expect(said).toMatch(text)
  }

  const reportPath = join(run.workspace, 'crashtest-report.xml')
  expect(existsSync(`${reportPath}.partial`)).toBe(false)
  if (row.report) {
    expect(run.outputs['report-path']).toBe(reportPath)
    expect(await sha256OfFile(reportPath)).toBe(await servedHash(run.scenario.target))
  } else {
    expect(run.outputs['report-path']).toBeUndefined()
    expect(existsSync(reportPath)).toBe(false)
  }

  if (row.cancel) {
    expect(run.signalledAt).toBeDefined()
    // The runner sends SIGTERM 7.5 s after SIGINT, and kills 2.5 s later.
    expect(run.exitedAt - (run.signalledAt ?? 0)).toBeLessThan(3000)
    expect(run.summary).toContain('Crashtest DAST scan could not be completed')
  }
  if (row.maxRssMiB) {
    console.info(`${row.name}: peak RSS ${run.peakRssMiB?.toFixed(0)} MiB`)
    expect(run.peakRssMiB).toBeLessThan(row.maxRssMiB)
  }
}

/** Checks that docs/reliability.md and the rows agree. */
export function testDocs(): void {
  describe('docs/reliability.md', () => {
    const documented = (): Array<{ name: string; line: string }> => casesOf(readFileSync(DOCS, 'utf8'))

    it('lists exactly the cases tested here, in the same order', () => {
      expect(documented().map(c => c.name)).toEqual(ROWS.map(row => row.name))
    })

    it('states the memory bound each measured case is held to', () => {
      for (const row of ROWS.filter(r => r.maxRssMiB)) {
        const line = documented().find(c => c.name === row.name)?.line ?? ''
        expect({ name: row.name, states: line.includes(`below ${row.maxRssMiB} MiB`) }).toEqual({
          name: row.name,
          states: true
        })
      }
    })
  })
}

/** The rows of every table whose first column is headed `Case`: their first cell, and the whole line. */
function casesOf(markdown: string): Array<{ name: string; line: string }> {
  const cases: Array<{ name: string; line: string }> = []
  let inTable = false
  for (const line of markdown.split('\n')) {
    const cells = line.startsWith('|') ? line.split('|').map(cell => cell.trim()) : []
    if (cells.length === 0) inTable = false
    else if (cells[1] === 'Case') inTable = true
    else if (inTable && !/^-+$/.test(cells[1] ?? '')) cases.push({ name: cells[1] ?? '', line })
  }
  return cases
}
