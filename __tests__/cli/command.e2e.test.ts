// The installed `crashtest-dast` command (packed, installed offline into an empty prefix by the global
// setup) against the simulator, run as a CI shell runs it, on both Node majors it supports.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderJunitReport } from '../../simulator/junit.js'
import { gitlabReportProblems } from '../fixtures/gitlab-report-schema.js'
import { sarifSchemaProblems } from '../fixtures/sarif-schema.js'
import { startSimulator } from '../../simulator/webhook-api.js'
import { endpoint, runCliScenario, WEBHOOK } from './fixtures.js'
import { installedPackage, runInCliEnvironment } from './harness.js'

const HIGH_XSS = {
  scanner: 'xss',
  title: 'Cross-Site Scripting',
  severity: 'high',
  message: 'https://app.test/search parameter q'
}
const LOW_COOKIE = {
  scanner: 'cookies',
  title: 'Cookie Security',
  severity: 'low',
  message: 'https://app.test/ session cookie'
}

describe.each([22, 24] as const)('on Node %i', node => {
  it('exits 0 when no rule is broken, and tells so', async () => {
    const run = await runCliScenario({ node, target: { findings: [LOW_COOKIE] } })
    expect(run.exitCode).toBe(0)
    expect(run.stderr).toContain('Passed: no rule was broken.')
    expect(run.stderr).toContain('1 findings (0 critical, 0 high, 0 medium, 1 low, 0 info).')
  })

  it('exits 1 when the report breaks the rules, naming the rule and the finding', async () => {
    const run = await runCliScenario({ node, target: { findings: [HIGH_XSS, LOW_COOKIE] } })
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain(
      'Failed: the scan broke the rules: fail-on: high — 1 finding of severity high or worse.'
    )
    expect(run.stderr).toContain('- high xss: Cross-Site Scripting at app.test/search')
  })

  it('exits 2 for a missing webhook, before any request', async () => {
    const run = await runCliScenario({ node, noWebhook: true })
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('--webhook is required')
    expect(run.stderr).toContain('No request was sent.')
    expect(run.requests).toEqual([])
  })

  it('exits 3 when the scan cannot be completed', async () => {
    const run = await runCliScenario({ node, target: { faults: { start: [{ status: 404 }] } } })
    expect(run.exitCode).toBe(3)
    expect(run.stderr).toContain('Error: Could not start the scan')
  })

  it('exits 4 on a time-out, and 0 with --on-timeout warn', async () => {
    const slow = { runningMs: 60_000 }
    const failing = await runCliScenario({ node, target: slow, env: { CRASHTEST_TIMEOUT: '0.03' } })
    expect(failing.exitCode).toBe(4)
    expect(failing.stderr).toMatch(/Timed out: Scan \d+ did not finish within the time-out of/)
    expect(failing.stderr).toMatch(
      /To pick scan (\d+) up later, without starting another: crashtest-dast scan --scan-id \1\n/
    )
    const warning = await runCliScenario({
      node,
      target: slow,
      args: ['scan', '--timeout', '0.03', '--on-timeout', 'warn']
    })
    expect(warning.exitCode).toBe(0)
    expect(warning.stderr).toContain('Timed out:')
  })

  it('exits 0 with --no-wait once the scan is started, without polling', async () => {
    const run = await runCliScenario({ node, args: ['scan', '--no-wait', '--json'] })
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({
      result: 'started',
      'scan-id': expect.any(String),
      targets: [{ name: 'target-1', result: 'started', 'scan-id': expect.any(String) }]
    })
    expect(run.requests.map(endpoint)).toEqual(['start'])
  })
})

describe('what the command writes', () => {
  it('prints exactly one JSON object on stdout with --json, with the action output names as keys', async () => {
    const run = await runCliScenario({
      target: { findings: [HIGH_XSS, LOW_COOKIE] },
      args: ['scan', '--json']
    })
    expect(run.exitCode).toBe(1)
    expect(run.stdout.trim().split('\n')).toHaveLength(1)
    expect(JSON.parse(run.stdout)).toEqual({
      result: 'failed',
      'scan-id': expect.stringMatching(/^\d+$/),
      'status-code': 200,
      'report-path': join(run.cwd, 'crashtest-report.xml'),
      testcases: 8,
      findings: 2,
      critical: 0,
      high: 1,
      medium: 0,
      low: 1,
      info: 0,
      suppressed: 0,
      'new-findings': 2,
      'junit-path': join(run.cwd, 'crashtest-junit.xml'),
      broken: [{ rule: 'fail-on', description: 'fail-on: high — 1 finding of severity high or worse' }],
      targets: [expect.objectContaining({ name: 'target-1', result: 'failed', findings: 2, high: 1, low: 1 })]
    })
  })

  it('keeps the JUnit report byte for byte as the service sent it, relative to the current directory', async () => {
    const served = renderJunitReport(
      [{ ...HIGH_XSS, message: 'Ünïcödé ✓ and &lt;markup&gt; in https://app.test/ä?q=1' }],
      3
    )
    const run = await runCliScenario({
      target: { reportBody: served },
      args: ['scan', '--report-path', 'out/dast.xml']
    })
    expect(run.exitCode).toBe(1)
    expect(readFileSync(join(run.cwd, 'out/dast.xml'))).toEqual(Buffer.from(served, 'utf8'))
  })

  it('writes SARIF and a GitLab DAST report that their schemas accept', async () => {
    const run = await runCliScenario({
      args: [
        'scan',
        '--sarif-path',
        'dast.sarif',
        '--gitlab-report',
        'gl-dast-report.json',
        '--fail-on',
        'never'
      ]
    })
    expect(run.exitCode).toBe(0)
    const sarif = JSON.parse(readFileSync(join(run.cwd, 'dast.sarif'), 'utf8'))
    expect(sarifSchemaProblems(sarif)).toEqual([])
    expect(sarif.runs[0].results).toHaveLength(8)
    const gitlab = JSON.parse(readFileSync(join(run.cwd, 'gl-dast-report.json'), 'utf8'))
    expect(gitlabReportProblems(gitlab)).toEqual([])
    expect(gitlab.vulnerabilities).toHaveLength(8)
    expect(gitlab.scan.type).toBe('dast')
  })

  it('takes every option from CRASHTEST_<NAME>, the Veracode ones from their own names too, and a flag wins', async () => {
    const fromEnvironment = await runCliScenario({
      target: { findings: [LOW_COOKIE] },
      env: { CRASHTEST_FAIL_ON: 'low', CRASHTEST_REPORT_PATH: 'env.xml' }
    })
    expect(fromEnvironment.exitCode).toBe(1)
    expect(readFileSync(join(fromEnvironment.cwd, 'env.xml'), 'utf8')).toContain('Cookie Security')
    const flagWins = await runCliScenario({
      target: { findings: [LOW_COOKIE] },
      env: { CRASHTEST_FAIL_ON: 'low' },
      args: ['scan', '--fail-on', 'high']
    })
    expect(flagWins.exitCode).toBe(0)
    const veracode = await runCliScenario({
      env: { VERACODE_API_KEY_ID: 'abc123', CRASHTEST_REGION: 'mars' },
      secrets: ['abc123']
    })
    // The id was read (so region is judged), and it is named as a problem without being quoted, by the
    // variable it came from.
    expect(veracode.exitCode).toBe(2)
    expect(veracode.stderr).toContain('--veracode-api-key is required when VERACODE_API_KEY_ID is given')
    expect(veracode.stderr).toContain("CRASHTEST_REGION must be one of us, eu; got 'mars'")
  })

  it('refuses an unknown flag, a bad value and a stray argument with exit code 2 and no request', async () => {
    for (const args of [
      ['scan', '--fail-onn', 'high'],
      ['scan', '--poll-interval', 'soon'],
      ['scan', 'extra'],
      ['scna'],
      []
    ]) {
      const run = await runCliScenario({ args })
      expect({ args, exitCode: run.exitCode }).toEqual({ args, exitCode: 2 })
      expect(run.requests).toEqual([])
      expect(run.stderr).toMatch(/^error: /)
      expect(run.stderr).not.toMatch(/\n\s+at /) // no stack trace
    }
  })

  it('never prints a secret, even when the service echoes it back', async () => {
    const password = 'Pa55-never-printed-93c1'
    const echo = `{"message":"unknown webhook ${WEBHOOK} for user ${password}"}`
    const run = await runCliScenario({
      target: { faults: { start: [{ status: 400, body: echo }] } },
      env: { CRASHTEST_BASIC_AUTH_USERNAME: 'scanner', CRASHTEST_BASIC_AUTH_PASSWORD: password },
      secrets: [password],
      args: ['scan', '--json']
    })
    expect(run.exitCode).toBe(3)
    expect(run.stderr).toContain('Could not start the scan')
    // The message says what went wrong, the secrets it echoed hidden.
    const message =
      'Could not start the scan: The start request answered HTTP 400: unknown webhook *** for user ***.'
    expect(JSON.parse(run.stdout)).toEqual({
      result: 'error',
      message,
      targets: [{ name: 'target-1', result: 'error', message }]
    })
  })

  it('hides the secret inside a whole webhook URL, wherever it would show', async () => {
    const echo = `{"message":"no scan for ${WEBHOOK}"}`
    const run = await runCliScenario({
      webhookAsUrl: true,
      target: { faults: { status: [{ status: 500, body: echo }] } }
    })
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toMatch(
      /Webhook API http:\/\/127\.0\.0\.1:\d+\/webhook \(the webhook secret is hidden\)/
    )
  })

  it('speaks TeamCity: service messages escaped by its rules, the report imported, the counts as statistics', async () => {
    const title = "Bad 'quote' |pipe| [bracket]\nsecond line"
    const run = await runCliScenario({
      target: { findings: [{ scanner: 'xss', title, severity: 'high', message: 'https://app.test/' }] },
      env: { TEAMCITY_VERSION: '2025.11' }
    })
    expect(run.exitCode).toBe(1)
    const messages = run.stdout.trim().split('\n')
    expect(messages.every(line => line.startsWith('##teamcity['))).toBe(true)
    // An absolute path: TeamCity reads a relative one from the checkout directory, not the step's.
    expect(messages).toContain(`##teamcity[importData type='junit' path='${run.cwd}/crashtest-junit.xml']`)
    // The sections fold as blocks of the build log.
    expect(messages).toEqual(
      expect.arrayContaining(["##teamcity[blockOpened name='Wait']", "##teamcity[blockClosed name='Wait']"])
    )
    expect(messages).toContain("##teamcity[buildStatisticValue key='crashtest.high' value='1']")
    const problem = messages.find(line => line.includes('xss:'))
    expect(problem).toContain("Bad |'quote|' ||pipe|| |[bracket|]|nsecond line")
    expect(problem).toMatch(
      /^##teamcity\[buildProblem description='[^\n]*' identity='crashtest_[0-9a-f]+'\]$/
    )
  })

  it('speaks Azure Pipelines (an issue for the verdict) and GitLab CI (sections, the wait open)', async () => {
    const azure = await runCliScenario({ target: { findings: [HIGH_XSS] }, env: { TF_BUILD: 'True' } })
    expect(azure.exitCode).toBe(1)
    expect(azure.stdout).toMatch(
      /^##vso\[task\.logissue type=error\]Crashtest DAST: Failed: the scan broke the rules/
    )
    expect(azure.stderr).toContain('##[group]Wait\n')
    const gitlab = await runCliScenario({ target: { findings: [] }, env: { GITLAB_CI: 'true' } })
    expect(gitlab.exitCode).toBe(0)
    expect(gitlab.stderr).toMatch(
      // eslint-disable-next-line no-control-regex -- GitLab's section markers are escape sequences
      /\u001b\[0Ksection_start:\d+:crashtest_\d+_wait\r\u001b\[0KWait\n/
    )
    // eslint-disable-next-line no-control-regex -- GitLab's section markers are escape sequences
    expect(gitlab.stderr).toMatch(/\u001b\[0Ksection_end:\d+:crashtest_\d+_wait\r\u001b\[0K\n/)
    // The wait stays open (it can last hours); the other sections fold.
    expect(gitlab.stderr).toMatch(/section_start:\d+:crashtest_\d+_report\[collapsed=true\]/)
    expect(gitlab.stdout).toBe('')
  })

  it('stops at once on Ctrl-C, saying the scan goes on and giving its id', async () => {
    let interruptedAt = 0
    const run = await runCliScenario({
      target: { runningMs: 60_000 },
      onSpawn: child => {
        child.stderr?.on('data', (chunk: Buffer) => {
          if (interruptedAt === 0 && /Status 101/.test(chunk.toString())) {
            interruptedAt = Date.now()
            child.kill('SIGINT')
          }
        })
      }
    })
    expect(interruptedAt).toBeGreaterThan(0)
    expect(Date.now() - interruptedAt).toBeLessThan(3000)
    expect(run.exitCode).toBe(130)
    const scanId = /Scan (\d+) started/.exec(run.stderr)?.[1]
    expect(scanId).toBeDefined()
    expect(run.stderr).toContain(`SIGINT received: interrupted; stopping.`)
    expect(run.stderr).toContain(`Scan ${scanId} keeps running on the service`)
    expect(run.stderr).toContain(
      `To pick scan ${scanId} up later, without starting another: crashtest-dast scan --scan-id ${scanId}`
    )
  })

  it('draws a live status line and colour on a terminal, and leaves colour out with NO_COLOR', async () => {
    const simulator = await startSimulator()
    try {
      simulator.addTarget(WEBHOOK, { runningMs: 2500, findings: [HIGH_XSS] })
      // util-linux `script` gives the command a pseudo-terminal, as an interactive shell would.
      const onTerminal = (env: Record<string, string>) =>
        runInCliEnvironment('script', {
          args: ['-qfec', `${installedPackage().bin} scan`, '/dev/null'],
          env: {
            CRASHTEST_WEBHOOK: WEBHOOK,
            CRASHTEST_API_URL: simulator.url,
            CRASHTEST_POLL_INTERVAL: '1',
            ...env
          }
        })
      const coloured = await onTerminal({})
      expect(coloured.exitCode).toBe(1)
      expect(coloured.stdout).toContain('\r\u001b[2K\u001b[2m… Status 101 (running)')
      expect(coloured.stdout).toContain('\u001b[31mFailed: the scan broke the rules')
      expect(coloured.stdout).not.toContain(WEBHOOK)
      const plain = await onTerminal({ NO_COLOR: '1' })
      expect(plain.exitCode).toBe(1)
      expect(plain.stdout).toContain('\r\u001b[2K… Status 101 (running)')
      for (const colour of ['2', '31', '32', '33']) expect(plain.stdout).not.toContain(`\u001b[${colour}m`)
    } finally {
      await simulator.close()
    }
  })

  it('scans several targets side by side, from repeated --webhook flags or the lines of CRASHTEST_WEBHOOK', async () => {
    const shop = 'wh-cli-shop-81c2'
    const api = 'wh-cli-api-0d4e'
    const targets = {
      [shop]: { runningMs: 2000, findings: [HIGH_XSS] },
      [api]: { runningMs: 2000, findings: [LOW_COOKIE] }
    }
    const flags = await runCliScenario({
      targets,
      noWebhook: true,
      args: ['scan', '--webhook', `shop: ${shop}`, '--webhook', `api: ${api}`, '--json']
    })
    expect(flags.exitCode).toBe(1)
    expect(flags.durationMs).toBeLessThan(3800)
    const outputs = JSON.parse(flags.stdout)
    expect(outputs).toMatchObject({ result: 'failed', findings: 2, high: 1, low: 1 })
    expect(outputs.targets.map((t: { name: string; result: string }) => [t.name, t.result])).toEqual([
      ['shop', 'failed'],
      ['api', 'passed']
    ])
    expect(readFileSync(join(flags.cwd, 'crashtest-report-shop.xml'), 'utf8')).toContain(
      'Cross-Site Scripting'
    )
    expect(readFileSync(join(flags.cwd, 'crashtest-report-api.xml'), 'utf8')).toContain('Cookie Security')
    expect(flags.stderr).toContain('[shop] Failed: the scan broke the rules')
    expect(flags.stderr).toContain('Failed: shop broke the rules.')

    const environment = await runCliScenario({
      targets,
      env: { CRASHTEST_WEBHOOK: `shop: ${shop}\napi: ${api}` }
    })
    expect(environment.exitCode).toBe(1)
    expect(environment.stderr).toContain('[api] Passed: no rule was broken.')
  })

  it('follows a scan started earlier with --scan-id, and starts none', async () => {
    const run = await runCliScenario({
      target: { runningMs: 1000, findings: [LOW_COOKIE] },
      before: async simulator => {
        const answer = await fetch(`${simulator.url}/${WEBHOOK}`, { method: 'POST' })
        const { data } = (await answer.json()) as { data: { scanId: unknown } }
        simulator.requests.length = 0
        return { CRASHTEST_SCAN_ID: String(data.scanId) }
      },
      args: ['scan', '--json']
    })
    expect(run.exitCode).toBe(0)
    expect(run.requests.map(endpoint)).not.toContain('start')
    expect(run.requests.map(endpoint)).toContain('report')
    expect(JSON.parse(run.stdout)).toMatchObject({
      result: 'passed',
      'scan-id': expect.stringMatching(/^\d+$/)
    })
  })

  it('fails on any finding of a scanner listed in --fail-on-scanners, with exit code 1, and warns of a name not in the report', async () => {
    const run = await runCliScenario({
      target: { findings: [LOW_COOKIE] },
      env: { CRASHTEST_FAIL_ON_SCANNERS: 'cookies.crashtest.cloud, sqli' }
    })
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain(
      'Failed: the scan broke the rules: fail-on-scanners: cookies.crashtest.cloud — 1 finding'
    )
    expect(run.stderr).toContain('- low cookies: Cookie Security at app.test (fail-on-scanners)')
    expect(run.stderr).toContain(
      "warning: Crashtest: scanner not in the report: 'fail-on-scanners' lists sqli"
    )
    const malformed = await runCliScenario({ args: ['scan', '--fail-on-scanners', 'x y'] })
    expect(malformed.exitCode).toBe(2)
    expect(malformed.requests).toEqual([])
    expect(malformed.stderr).toContain('--fail-on-scanners names are letters')
  })

  it('reads a status code sent as text, and says plainly when the report has no testcase', async () => {
    const run = await runCliScenario({
      target: { numbersAsText: true, finishedStatusCode: 102, reportBody: '<testsuites tests="0"/>' },
      args: ['scan', '--json']
    })
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({
      result: 'passed',
      'status-code': 102,
      testcases: 0,
      findings: 0
    })
    expect(run.stderr).toContain(
      'warning: Crashtest: the scan checked nothing: The report has no testcase: the scan checked nothing'
    )
  })
})

describe('the judged JUnit report', () => {
  it('is what TeamCity imports: with --fail-on never it has no failure, whatever the findings', async () => {
    const run = await runCliScenario({
      target: { findings: [HIGH_XSS, LOW_COOKIE] },
      env: { TEAMCITY_VERSION: '2025.11' },
      args: ['scan', '--fail-on', 'never']
    })
    expect(run.exitCode).toBe(0)
    const path = join(run.cwd, 'crashtest-junit.xml')
    expect(run.stdout).toContain(`##teamcity[importData type='junit' path='${path}']`)
    const junit = readFileSync(path, 'utf8')
    expect(junit).toContain('tests="2" failures="0"')
    expect(junit).not.toContain('<failure')
    // The service's report, kept as it came, fails every finding.
    expect(readFileSync(join(run.cwd, 'crashtest-report.xml'), 'utf8')).toContain('<failure')
  })

  it('fails the findings that break the rules, at --junit-path, named without a running counter', async () => {
    const run = await runCliScenario({
      target: { findings: [HIGH_XSS, LOW_COOKIE] },
      args: ['scan', '--junit-path', 'results/dast.xml', '--json']
    })
    expect(run.exitCode).toBe(1)
    const path = join(run.cwd, 'results/dast.xml')
    expect(JSON.parse(run.stdout)['junit-path']).toBe(path)
    const junit = readFileSync(path, 'utf8')
    expect(junit.match(/<failure /g)).toHaveLength(1)
    expect(junit).not.toMatch(/name="[^"]*\(\d+\)"/)
  })
})
