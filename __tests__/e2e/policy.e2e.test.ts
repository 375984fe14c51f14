// The gate as a policy: accepted findings (suppressions with reasons and expiry) and new-findings-only
// runs against a baseline, judged on the bundled action against the simulator.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SimulatedFinding } from '../../simulator/webhook-api.js'
import { annotations, failureMessage, runScenario, type ScenarioRun } from './fixtures.js'

const SUPPRESSIONS = '.github/crashtest-suppressions.yml'

const legacyXss: SimulatedFinding = {
  scanner: 'xss',
  title: 'Cross-Site Scripting (XSS)',
  severity: 'high',
  message: "Reflected XSS in parameter 'q' of https://staging.example.test/legacy/search?q=<svg onload=1>"
}
const tls: SimulatedFinding = {
  scanner: 'ssl',
  title: 'Transport Layer Security (TLS/SSL)',
  severity: 'high',
  message: 'TLS 1.1 is offered by the server staging.example.test:443'
}
const headers: SimulatedFinding = {
  scanner: 'headers',
  title: 'HTTP Security Headers',
  severity: 'medium',
  message: 'Content-Security-Policy header is missing on "https://staging.example.test/"'
}
const sqli: SimulatedFinding = {
  scanner: 'sqlinjection',
  title: 'SQL Injection',
  severity: 'critical',
  message: 'SQL injection in parameter "id" of https://staging.example.test/products?id=1%27'
}

interface FindingsFile {
  findings: Array<{
    fingerprint: string
    scanner: string
    title: string
    url: string | null
    suppressedBy: { line: number; reason: string } | null
    baseline?: string
  }>
  fixed?: Array<{ fingerprint: string }>
}

/** The findings file the run kept beside the report, as uploaded in the artifact. */
function findingsFile(run: ScenarioRun): FindingsFile {
  const uploaded = run.artifacts[0]?.files['crashtest-report.findings.json']
  expect(uploaded).toBeDefined()
  expect(uploaded).toEqual(readFileSync(join(run.workspace, 'crashtest-report.findings.json')))
  return JSON.parse(String(uploaded)) as FindingsFile
}

function fingerprintOf(run: ScenarioRun, scanner: string): string {
  const found = findingsFile(run).findings.find(f => f.scanner === scanner)
  if (!found) throw new Error(`no ${scanner} finding in the findings file`)
  return found.fingerprint
}

describe('suppressions', () => {
  const findings = [legacyXss, tls, headers]

  it('a gate that fails without the suppressions file passes with it', async () => {
    const without = await runScenario({ target: { findings }, inputs: { 'fail-on': 'high' } })
    expect(without.exitCode).toBe(1)
    expect(without.outputs).toMatchObject({ result: 'failed', suppressed: '0', 'new-findings': '3' })
    // Every finding's fingerprint is printed, for users to copy into the file.
    const tlsPrint = fingerprintOf(without, 'ssl')
    expect(tlsPrint).toMatch(/^[0-9a-f]{16}$/)
    for (const f of findingsFile(without).findings) expect(without.summary).toContain(`\`${f.fingerprint}\``)

    const file = `suppressions:
  - fingerprint: ${tlsPrint}   # copied from the summary
    reason: TLS is terminated by the CDN, tracked in SEC-12
    expires: 2999-12-31
  - scanner: xss.crashtest.cloud
    title: Cross-Site Scripting (XSS)
    url: https://staging.example.test/legacy/*
    reason: Legacy search page, removed in Q1
  - title: Clickjacking
    reason: Frames are allowed on purpose
`
    const run = await runScenario({
      target: { findings },
      inputs: { 'fail-on': 'high', suppressions: SUPPRESSIONS },
      files: { [SUPPRESSIONS]: file }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'passed', findings: '3', high: '2', suppressed: '2' })
    expect(annotations(run, 'error')).toHaveLength(0)
    expect(run.stdout).toContain(`Rules: fail-on: high; suppressions: 3 entries in ${SUPPRESSIONS}`)
    expect(run.stdout).toContain(
      'Unused suppression, it matched no finding of this scan: line 9 (title Clickjacking)'
    )

    expect(run.summary).toContain('### Suppressed (2)')
    expect(run.summary).toContain('TLS is terminated by the CDN, tracked in SEC-12 | line 2 |')
    expect(run.summary).toContain('Legacy search page, removed in Q1 | line 5 |')
    expect(run.summary).toContain('Unused suppressions (1)')
    expect(run.summary).toContain('- line 9 (title Clickjacking): Frames are allowed on purpose')
    expect(run.summary).not.toContain('Expired suppressions')

    const kept = findingsFile(run).findings
    expect(kept.map(f => [f.scanner, f.suppressedBy?.line ?? null])).toEqual([
      ['ssl', 2],
      ['xss', 5],
      ['headers', null]
    ])
    expect(kept.find(f => f.scanner === 'xss')?.url).toBe('staging.example.test/legacy/search?q')
  })

  it('an expired entry no longer suppresses: the gate fails again, with a warning naming the entry', async () => {
    const file = `suppressions:
  - scanner: ssl
    reason: TLS is terminated by the CDN
    expires: 2024-06-30
  - scanner: xss
    url: staging.example.test/legacy/**
    reason: Legacy search page
`
    const run = await runScenario({
      target: { findings },
      inputs: { 'fail-on': 'high', suppressions: SUPPRESSIONS },
      files: { [SUPPRESSIONS]: file }
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({ result: 'failed', suppressed: '1' })
    const [warning, ...more] = annotations(run, 'warning')
    expect(more).toEqual([])
    expect(warning?.properties.title).toBe('Crashtest: suppression expired')
    expect(warning?.message).toBe(
      'The suppression at line 2 (scanner ssl, expires 2024-06-30): TLS is terminated by the CDN has expired and ' +
        `suppresses nothing; it matches 1 finding of this scan, no longer suppressed. Renew its date or remove it from ${SUPPRESSIONS}.`
    )
    expect(annotations(run, 'error').map(e => e.properties.title)).toEqual([
      'Crashtest high: Transport Layer Security (TLS/SSL)'
    ])
    expect(failureMessage(run)).toContain('fail-on: high — 1 finding of severity high or worse')
    expect(run.summary).toContain('### ⚠️ Expired suppressions (1)')
  })
})

describe('baseline', () => {
  it('only a finding that is new since the baseline fails the step', async () => {
    // The previous run: its report is what a nightly workflow downloads as the baseline.
    const previous = await runScenario({
      target: { findings: [legacyXss, tls, headers] },
      inputs: { 'fail-on': 'never' }
    })
    expect(previous.exitCode).toBe(0)
    const baseline = readFileSync(join(previous.workspace, 'crashtest-report.xml'), 'utf8')

    // Same findings in another order (other running counters, another payload) plus one new finding.
    const again = { ...legacyXss, message: legacyXss.message.replace('<svg onload=1>', '"><img src=x>') }
    const withNew = await runScenario({
      target: { findings: [sqli, tls, again] },
      inputs: { 'fail-on': 'high', baseline: 'previous/crashtest-report.xml' },
      files: { 'previous/crashtest-report.xml': baseline }
    })
    expect(withNew.exitCode).toBe(1)
    expect(withNew.outputs).toMatchObject({
      result: 'failed',
      findings: '3',
      'new-findings': '1',
      suppressed: '0'
    })
    expect(annotations(withNew, 'error').map(e => e.properties.title)).toEqual([
      'Crashtest critical: SQL Injection'
    ])
    expect(failureMessage(withNew)).toContain('fail-on: high — 1 finding of severity high or worse')
    expect(withNew.stdout).toContain(
      'Compared with the baseline: 1 new · 1 fixed · 2 unchanged since previous/crashtest-report.xml'
    )
    expect(withNew.summary).toContain(
      '**1 new · 1 fixed · 2 unchanged since `previous/crashtest-report.xml`**'
    )
    expect(withNew.summary).toContain('### Fixed (1)')
    expect(withNew.outputs).toMatchObject({ fixed: '1', 'baseline-run-id': '' })
    const kept = findingsFile(withNew)
    expect(kept.findings.map(f => [f.scanner, f.baseline])).toEqual([
      ['sqlinjection', 'new'],
      ['ssl', 'still present'],
      ['xss', 'still present']
    ])
    expect(kept.fixed?.map(f => f.fingerprint)).toEqual([fingerprintOf(previous, 'headers')])

    // Without the new finding, the high findings already in the baseline do not fail the step.
    const nothingNew = await runScenario({
      target: { findings: [tls, again] },
      inputs: { 'fail-on': 'high', baseline: 'previous/crashtest-report.xml' },
      files: { 'previous/crashtest-report.xml': baseline }
    })
    expect(nothingNew.exitCode).toBe(0)
    expect(nothingNew.outputs).toMatchObject({ result: 'passed', high: '2', 'new-findings': '0' })
  })
})

describe('findings on another host of the application', () => {
  const onPreview = (finding: SimulatedFinding): SimulatedFinding => ({
    ...finding,
    message: finding.message.replaceAll('staging.example.test', 'preview-42.example.test')
  })

  it('are the baseline’s findings, and a suppression by fingerprint applies to them', async () => {
    // The baseline: the default branch's scan of staging.
    const staging = await runScenario({
      target: { findings: [legacyXss, tls, sqli] },
      inputs: { 'fail-on': 'never' }
    })
    const baseline = readFileSync(join(staging.workspace, 'crashtest-report.xml'), 'utf8')
    expect(baseline).toContain('staging.example.test')

    // The pull request's scan of its preview: the same findings at another host.
    const preview = await runScenario({
      target: { findings: [legacyXss, tls, sqli].map(onPreview) },
      inputs: { 'fail-on': 'high', baseline: 'previous/crashtest-report.xml' },
      files: { 'previous/crashtest-report.xml': baseline }
    })
    expect(preview.outputs).toMatchObject({ result: 'passed', findings: '3', 'new-findings': '0' })

    // A suppression written from the staging scan's fingerprint accepts the finding on the preview.
    const suppressed = await runScenario({
      target: { findings: [onPreview(sqli)] },
      inputs: { 'fail-on': 'high', suppressions: SUPPRESSIONS },
      files: {
        [SUPPRESSIONS]: `suppressions:\n  - fingerprint: ${fingerprintOf(staging, 'sqlinjection')}\n    reason: accepted on staging\n`
      }
    })
    expect(suppressed.outputs).toMatchObject({ result: 'passed', findings: '1', suppressed: '1' })
  })
})

describe('a policy file that cannot be used is an input error before any request', () => {
  const report = '<testsuites><testsuite name="s"/></testsuites>'
  it.each([
    [
      'a malformed suppressions file',
      { suppressions: SUPPRESSIONS },
      { [SUPPRESSIONS]: 'suppressions:\n  - scanner: xss\n  - fingerprint: 3f2a9c41\n    reason: r\n' },
      [
        `'suppressions' file ${SUPPRESSIONS}, line 2: entry 1 of \`suppressions\` has no \`reason\``,
        `'suppressions' file ${SUPPRESSIONS}, line 3: \`fingerprint\` of entry 2 of \`suppressions\` must be 16 hexadecimal characters`
      ]
    ],
    [
      'a suppressions file that is not YAML',
      { suppressions: SUPPRESSIONS },
      { [SUPPRESSIONS]: 'suppressions:\n  - scanner: xss\n    reason: a: b\n' },
      [`'suppressions' file ${SUPPRESSIONS}, line 3, column 13: Nested mappings are not allowed`]
    ],
    [
      'a missing suppressions file',
      { suppressions: 'missing.yml' },
      {},
      ["'suppressions' file missing.yml cannot be read: ENOENT"]
    ],
    [
      'a baseline that is not a JUnit report',
      { baseline: 'baseline.xml' },
      { 'baseline.xml': '<html><body>Not found</body></html>' },
      ["'baseline' file baseline.xml cannot be read as a JUnit report: The document is not a JUnit report"]
    ],
    [
      'a missing baseline',
      { baseline: 'nowhere/report.xml', suppressions: 'ok.yml' },
      { 'ok.yml': 'suppressions: []\n', 'unrelated.xml': report },
      ["'baseline' file nowhere/report.xml cannot be read as a JUnit report: ENOENT"]
    ]
  ])('%s', async (_, inputs, files, expected) => {
    const run = await runScenario({ inputs, files })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    const message = failureMessage(run)
    for (const text of expected) expect(message).toContain(text)
    expect(run.requests).toHaveLength(0)
  })
})
