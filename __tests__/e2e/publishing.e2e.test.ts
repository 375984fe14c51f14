// Publishing beyond the job summary: the SARIF file for code scanning, and the pull-request comment that
// later runs update, judged on the bundled action against the simulator and a local fake of GitHub's
// REST API (reached only through GITHUB_API_URL).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Log } from 'sarif'
import { startGitHubApi, type FakeGitHubApi } from '../../simulator/github-api.js'
import { DEMO_FINDINGS } from '../../simulator/webhook-api.js'
import { codeScanningProblems, sarifSchemaProblems } from '../fixtures/sarif-schema.js'
import { failureMessage, runScenario, type Scenario, type ScenarioRun } from './fixtures.js'
import { expectNoSecrets, JOB_TOKEN } from './harness.js'

/** A distinctive token: any appearance of it outside `::add-mask::` is a leak. */
const TOKEN = 'ghp_e2eCommentT0ken5b1d7f3a9c2e4608'
const REPOSITORY = 'octo/app'
const PR = 7

const pullRequestEvent = (number = PR) => ({
  name: 'pull_request',
  payload: {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      head: { ref: 'feature', sha: 'a'.repeat(40), repo: { full_name: REPOSITORY } },
      base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: REPOSITORY } }
    },
    repository: { full_name: REPOSITORY, name: 'app', owner: { login: 'octo' } },
    sender: { login: 'octocat' }
  }
})

const warnings = (run: ScenarioRun) => run.commands.filter(c => c.command === 'warning')

describe('SARIF', () => {
  it('writes a valid SARIF file of every finding, sets sarif-path and keeps it in the artifact', async () => {
    const run = await runScenario({ inputs: { 'sarif-path': 'results/crashtest.sarif', 'fail-on': 'never' } })

    expect(run.exitCode).toBe(0)
    const sarifPath = join(run.workspace, 'results', 'crashtest.sarif')
    expect(run.outputs['sarif-path']).toBe(sarifPath)
    const text = readFileSync(sarifPath, 'utf8')
    const log = JSON.parse(text) as Log
    expect(sarifSchemaProblems(log)).toEqual([])
    expect(codeScanningProblems(log)).toEqual([])

    const results = log.runs[0]?.results ?? []
    const findings = DEMO_FINDINGS.filter(f => !['error', 'skipped'].includes(f.severity))
    expect(results).toHaveLength(findings.length)
    expect(results.map(r => r.message.text).sort()).toEqual(findings.map(f => f.message).sort())
    expect(results[0]).toMatchObject({
      ruleId: 'crashtest/sqlinjection/sql-injection',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'demo.example.test/products' } } }]
    })
    expect(log.runs[0]?.tool.driver.rules?.[0]?.properties?.['security-severity']).toBe('9.5')

    const [artifact] = run.artifacts
    expect(Object.keys(artifact?.files ?? {}).sort()).toEqual([
      'crashtest-report.findings.json',
      'crashtest-report.xml',
      'results/crashtest.sarif'
    ])
    expect(artifact?.files['results/crashtest.sarif']?.toString('utf8')).toBe(text)
    expect(run.stdout).toContain(`SARIF log of ${findings.length} findings written to ${sarifPath}.`)
  })

  it('locates findings without a URL at the workflow file that ran the scan', async () => {
    const run = await runScenario({
      inputs: { 'sarif-path': 'crashtest.sarif', 'fail-on': 'never' },
      target: {
        findings: [{ scanner: 'portscan', title: 'Open port', severity: 'low', message: 'Port 22 is open' }]
      }
    })
    const log = JSON.parse(readFileSync(join(run.workspace, 'crashtest.sarif'), 'utf8')) as Log
    expect(sarifSchemaProblems(log)).toEqual([])
    expect(log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(
      '.github/workflows/ci.yml'
    )
  })

  it('writes no SARIF when the scan has no report, so an upload cannot close open alerts', async () => {
    const run = await runScenario({ unknownWebhook: true, inputs: { 'sarif-path': 'crashtest.sarif' } })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(run.outputs['sarif-path']).toBeUndefined()
    expect(existsSync(join(run.workspace, 'crashtest.sarif'))).toBe(false)
  })

  it('warns when the SARIF file cannot be written, and the verdict stays the same', async () => {
    // Creatable when checked before the scan; the report written there first then stands in its way.
    const run = await runScenario({
      inputs: { 'report-path': 'out/r.xml', 'sarif-path': 'out/r.xml/findings.sarif', 'fail-on': 'never' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.result).toBe('passed')
    expect(run.outputs['sarif-path']).toBeUndefined()
    const messages = run.commands.filter(c => c.command === 'warning').map(c => c.message)
    expect(messages).toEqual([expect.stringMatching(/^Could not write the SARIF file .*: EEXIST/)])
    expect(Object.keys(run.artifacts[0]?.files ?? {}).sort()).toEqual(['r.findings.json', 'r.xml'])
  })

  it('refuses a sarif-path that is a folder before any request', async () => {
    const run = await runScenario({ inputs: { 'sarif-path': '.' } })
    expect(run.exitCode).toBe(1)
    expect(run.requests).toEqual([])
    expect(failureMessage(run)).toContain(
      `'sarif-path' cannot be written to ${run.workspace}: it is a folder`
    )
  })

  it('refuses a sarif-path that is the report-path before any request', async () => {
    const run = await runScenario({ inputs: { 'sarif-path': 'crashtest-report.xml' } })
    expect(run.exitCode).toBe(1)
    expect(run.requests).toHaveLength(0)
    expect(failureMessage(run)).toContain(`'sarif-path' must name another file than 'report-path'`)
  })
})

describe('the pull-request comment', () => {
  let api: FakeGitHubApi
  beforeEach(async () => {
    api = await startGitHubApi({ token: TOKEN })
  })
  afterEach(async () => {
    await api.close()
  })

  const scan = async (scenario: Scenario = {}): Promise<ScenarioRun> => {
    const run = await runScenario({
      event: pullRequestEvent(),
      ...scenario,
      inputs: { 'pr-comment': 'true', 'github-token': TOKEN, ...scenario.inputs },
      env: { GITHUB_API_URL: api.url, ...scenario.env }
    })
    expectNoSecrets(run, [TOKEN])
    for (const request of api.requests) expect(request.body).not.toContain(TOKEN)
    return run
  }
  const writes = () => api.requests.filter(r => r.method !== 'GET')

  it('marks its comment with a line no workflow name can end early', async () => {
    await scan({ env: { GITHUB_WORKFLOW: 'a --> <b>injected</b> <!--' } })
    const [comment] = api.comments(REPOSITORY, PR)
    const marker = comment?.body.split('\n')[0] ?? ''
    expect(marker).toBe(
      '<!-- crashtest-dast-action:a%20--%3E%20%3Cb%3Einjected%3C%2Fb%3E%20%3C!--%2Fscan%2Fcrashtest -->'
    )
    expect(marker.match(/-->/g)).toHaveLength(1)
  })

  it('is created by the first run and updated by the second, past other comments on two pages', async () => {
    api.seed(
      REPOSITORY,
      PR,
      Array.from({ length: 120 }, (_, n) => `Review comment ${n}`)
    )

    const first = await scan()
    expect(first.exitCode).toBe(1) // the demo target breaks fail-on: high; the comment changes nothing
    expect(first.outputs.result).toBe('failed')
    expect(writes().map(r => r.method)).toEqual(['POST'])
    const created = api.comments(REPOSITORY, PR).filter(c => c.user.type === 'Bot')
    expect(created).toHaveLength(1)
    const body = created[0]?.body ?? ''
    expect(body.startsWith('<!-- crashtest-dast-action:CI%2Fscan%2Fcrashtest -->\n')).toBe(true)
    expect(body).toContain('## ❌ Crashtest DAST scan failed')
    expect(body).toContain('| 🟥 Critical | 1 |')
    expect(body).toContain('SQL Injection')
    expect(body).toContain('[workflow run](https://github.com/octo/app/actions/runs/9876543210)')
    expect(first.stdout).toContain(
      `Commented on pull request #${PR}: https://github.com/octo/app/pull/${PR}#issuecomment-`
    )

    api.requests.length = 0
    const second = await scan({ inputs: { 'fail-on': 'never' } })
    expect(second.exitCode).toBe(0)
    // Both pages were read to find the comment, then it was updated in place.
    const gets = api.requests
      .filter(r => r.method === 'GET')
      .map(r => new URL(r.path, 'http://x').searchParams)
    expect(gets.map(p => p.get('page') ?? '1')).toEqual(['1', '2'])
    expect(writes().map(r => `${r.method} ${r.path}`)).toEqual([
      `PATCH /api/v3/repos/octo/app/issues/comments/${created[0]?.id}`
    ])
    const after = api.comments(REPOSITORY, PR)
    expect(after).toHaveLength(121)
    expect(after.filter(c => c.user.type === 'Bot').map(c => c.id)).toEqual([created[0]?.id])
    expect(after.at(-1)?.body).toContain('## ✅ Crashtest DAST scan passed')
    expect(second.stdout).toContain(`Updated the comment on pull request #${PR}`)

    // Every request carried the token, through GITHUB_API_URL's /api/v3 prefix as on GitHub Enterprise Server.
    for (const request of api.requests) expect(request.headers.authorization).toBe(`token ${TOKEN}`)
  })

  it('renders the findings the same way as the job summary, only the top ten', async () => {
    const findings = Array.from({ length: 12 }, (_, n) => ({
      scanner: 'xss',
      title: `Cross-Site Scripting ${String(n).padStart(2, '0')}`,
      severity: 'high',
      message: `Reflected <script> in parameter 'q' of https://app.example.test/page-${n} | pipe`
    }))
    const run = await scan({ target: { findings } })
    const body = api.comments(REPOSITORY, PR)[0]?.body ?? ''
    const rows = (text: string) => text.split('\n').filter(line => line.startsWith('| 🟧 High | xss |'))
    expect(rows(body)).toHaveLength(10)
    expect(rows(run.summary)).toHaveLength(12)
    expect(rows(run.summary).slice(0, 10)).toEqual(rows(body))
    expect(body).toContain('2 more findings are not shown here; the job summary of the [workflow run]')
  })

  it('lets no finding text mention anyone, in the comment or the job summary', async () => {
    const hostile = {
      scanner: 'xss',
      title: 'Reflected input @octocat',
      severity: 'high',
      message: 'https://app.test/?q=@acme/security-team reflected for @octocat'
    }
    const run = await scan({ target: { findings: [hostile] } })
    expect(run.exitCode).toBe(1)
    const [comment] = api.comments(REPOSITORY, PR).filter(c => c.user.type === 'Bot')
    // A mention is @ then a name, after the start or a character that is not part of a word.
    const mention = /(^|[^\p{L}\p{N}_])@(octocat|acme\/security-team)/u
    for (const text of [comment?.body ?? '', run.summary]) {
      expect(text).toContain('Reflected input @\u2060octocat')
      expect(text).not.toMatch(mention)
    }
  })

  it('gives each pr-comment-key its own comment', async () => {
    await scan({ inputs: { 'pr-comment-key': 'staging' } })
    await scan({ inputs: { 'pr-comment-key': 'production' } })
    await scan({ inputs: { 'pr-comment-key': 'staging' } })
    expect(writes().map(r => r.method)).toEqual(['POST', 'POST', 'PATCH'])
    const bodies = api.comments(REPOSITORY, PR).map(c => c.body.split('\n')[0])
    expect(bodies).toEqual([
      '<!-- crashtest-dast-action:CI%2Fscan%2Fcrashtest%2Fstaging -->',
      '<!-- crashtest-dast-action:CI%2Fscan%2Fcrashtest%2Fproduction -->'
    ])
  })

  it('uses the job token by default (github-token: ${{ github.token }})', async () => {
    await api.close()
    api = await startGitHubApi({ token: JOB_TOKEN })
    const run = await runScenario({
      event: pullRequestEvent(),
      inputs: { 'pr-comment': 'true', 'fail-on': 'never' },
      env: { GITHUB_API_URL: api.url }
    })
    expect(run.exitCode).toBe(0)
    expect(writes().map(r => r.headers.authorization)).toEqual([`token ${JOB_TOKEN}`])
  })

  it('warns once when the token may not write (a fork), and the verdict stays the same', async () => {
    await api.close()
    api = await startGitHubApi({ token: TOKEN, access: 'read-only' })

    const passing = await scan({ inputs: { 'fail-on': 'never' } })
    expect(passing.exitCode).toBe(0)
    expect(passing.outputs.result).toBe('passed')
    expect(warnings(passing)).toHaveLength(1)
    expect(warnings(passing)[0]?.message).toMatch(
      /^Could not comment on pull request #7: the token may not write to it \(HTTP 403\)\. Pull requests from forks get a read-only token/
    )

    const failing = await scan()
    expect(failing.exitCode).toBe(1)
    expect(failing.outputs.result).toBe('failed')
    expect(warnings(failing)).toHaveLength(1)
    expect(failureMessage(failing)).toContain('The scan broke the rules: fail-on: high')
    expect(api.comments(REPOSITORY, PR)).toHaveLength(0)
  })

  it('posts nothing on other events', async () => {
    const run = await scan({ event: { name: 'push', payload: { ref: 'refs/heads/main' } } })
    expect(run.outputs.result).toBe('failed')
    expect(api.requests).toHaveLength(0)
    expect(warnings(run)).toHaveLength(0)
    expect(run.stdout).toContain(
      "No pull-request comment: the run was triggered by 'push', not a pull request."
    )
  })

  it('posts nothing when pr-comment is off', async () => {
    const run = await scan({ inputs: { 'pr-comment': 'false' } })
    expect(run.outputs.result).toBe('failed')
    expect(api.requests).toHaveLength(0)
  })

  it('refuses pr-comment without a token before any request', async () => {
    const run = await scan({ inputs: { 'github-token': '' } })
    expect(run.exitCode).toBe(1)
    expect(run.requests).toHaveLength(0)
    expect(api.requests).toHaveLength(0)
    expect(failureMessage(run)).toContain(`'github-token' is required when 'pr-comment' is true`)
  })
})
