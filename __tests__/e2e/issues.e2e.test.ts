// `issues: true`: the bundled action keeps one GitHub issue per finding that breaks the rules, against a
// local fake of GitHub's REST API (issues, labels, comments), run after run.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startGitHubApi, type FakeGitHubApi } from '../../simulator/github-api.js'
import type { SimulatedFinding } from '../../simulator/webhook-api.js'
import { runScenario, type Scenario, type ScenarioRun } from './fixtures.js'
import { JOB_TOKEN } from './harness.js'

const REPOSITORY = 'octo/app'
const schedule = { name: 'schedule', payload: { repository: { default_branch: 'main' } } }

const xss: SimulatedFinding = {
  scanner: 'xss',
  title: 'Cross-Site Scripting (XSS)',
  severity: 'high',
  message: "Reflected XSS in parameter 'q' of https://staging.example.test/search?q=<svg>"
}
const info: SimulatedFinding = {
  scanner: 'portscan',
  title: 'Portscan',
  severity: 'info',
  message: 'Port 22 is open on 10.0.0.5'
}
const high = (path: string): SimulatedFinding => ({
  ...xss,
  message: `XSS in parameter 'q' of https://staging.example.test/${path}?q=1`
})

let api: FakeGitHubApi
beforeEach(async () => {
  api = await startGitHubApi({ token: JOB_TOKEN })
})
afterEach(async () => {
  await api.close()
})

async function scan(findings: SimulatedFinding[], scenario: Scenario = {}): Promise<ScenarioRun> {
  return runScenario({
    event: schedule,
    target: { findings },
    ...scenario,
    inputs: { issues: 'true', 'fail-on': 'high', 'upload-artifact': 'false', ...scenario.inputs },
    env: { GITHUB_API_URL: api.url, ...scenario.env }
  })
}

const writes = () => api.requests.filter(r => r.method !== 'GET')
const ours = () => api.issues(REPOSITORY).filter(issue => issue.user.login === 'github-actions[bot]')
const commentsOf = (number: number) => api.comments(REPOSITORY, number).map(c => c.body)

describe('issues: true', () => {
  it('opens an issue for a finding, closes it when it is gone, reopens it when it is back', async () => {
    const first = await scan([xss, info])
    expect(first.outputs).toMatchObject({ result: 'failed', 'issues-opened': '1', 'issues-closed': '0' })
    const [issue] = ours()
    expect(ours()).toHaveLength(1) // the info finding breaks no rule
    expect(issue).toMatchObject({
      title: 'DAST: Cross-Site Scripting (XSS) at /search?q (q)',
      state: 'open',
      labels: ['dast', 'severity:high']
    })
    expect(api.labels(REPOSITORY).sort()).toEqual(['dast', 'severity:high'])
    expect(issue!.body.split('\n')[0]).toMatch(
      /^<!-- crashtest-dast-issue target=target-1 fingerprint=[0-9a-f]{16} -->$/
    )
    expect(issue!.body).toContain('reason: <why it is accepted>')
    expect(first.summary).toContain(
      `- Opened [#${issue!.number}](https://github.com/${REPOSITORY}/issues/${issue!.number})`
    )

    // The same finding again: no write at all.
    const before = writes().length
    const unchanged = await scan([xss, info])
    expect(unchanged.outputs).toMatchObject({
      'issues-opened': '0',
      'issues-closed': '0',
      'issues-reopened': '0'
    })
    expect(writes()).toHaveLength(before)

    // Gone from a complete report: a comment, then closed as completed.
    const gone = await scan([info])
    expect(gone.outputs).toMatchObject({ result: 'passed', 'issues-closed': '1' })
    expect(ours()[0]).toMatchObject({ state: 'closed', state_reason: 'completed' })
    expect(commentsOf(issue!.number)).toEqual([
      expect.stringMatching(
        /^No longer found by scan \d+ \(\[workflow run\]\(https:\/\/github\.com\/octo\/app\/actions\/runs\/9876543210\)\)\.$/
      )
    ])

    // Back again: the issue the action closed is reopened, with a comment.
    const back = await scan([xss])
    expect(back.outputs).toMatchObject({ 'issues-opened': '0', 'issues-reopened': '1' })
    expect(ours()).toHaveLength(1)
    expect(ours()[0]?.state).toBe('open')
    expect(commentsOf(issue!.number)[1]).toMatch(/^Found again by scan \d+/)
  })

  it('writes nothing on a pull request', async () => {
    const run = await scan([xss], {
      event: {
        name: 'pull_request',
        payload: { number: 7, pull_request: { number: 7, base: { ref: 'main' } } }
      }
    })
    expect(run.outputs.result).toBe('failed')
    expect(api.requests.filter(r => r.path.includes('/issues') || r.path.includes('/labels'))).toEqual([])
  })

  it('closes nothing from a scan that ended in error', async () => {
    await scan([xss])
    const broken = await scan([], { target: { reportBody: '<testsuites><testcase' } })
    expect(broken.outputs.result).toBe('error')
    expect(ours()[0]?.state).toBe('open')
    expect(writes().filter(r => r.method === 'PATCH')).toEqual([])
  })

  it('leaves closed an issue a person closed, and closes as not planned one the suppressions file accepts', async () => {
    await scan([xss, high('admin')])
    const [search, admin] = ours()
    api.closeIssue(REPOSITORY, search!.number, 'not_planned')
    const fingerprint = /fingerprint=([0-9a-f]{16})/.exec(admin!.body)![1]
    const run = await scan([xss, high('admin')], {
      inputs: { suppressions: 'suppressions.yml' },
      files: {
        'suppressions.yml': `suppressions:\n  - fingerprint: ${fingerprint}\n    reason: 'Behind VPN, ticket SEC-9'\n`
      }
    })
    expect(run.outputs).toMatchObject({ result: 'failed', 'issues-reopened': '0', 'issues-closed': '1' })
    expect(api.issues(REPOSITORY).find(i => i.number === search!.number)).toMatchObject({
      state: 'closed',
      state_reason: 'not_planned'
    })
    expect(api.issues(REPOSITORY).find(i => i.number === admin!.number)).toMatchObject({
      state: 'closed',
      state_reason: 'not_planned'
    })
    expect(commentsOf(admin!.number)).toEqual([
      'Accepted by the suppressions file (line 2): Behind VPN, ticket SEC-9'
    ])
  })

  it('opens at most issue-limit issues in one run, and says how many findings have none yet', async () => {
    const run = await scan([high('a'), high('b'), high('c')], { inputs: { 'issue-limit': '2' } })
    expect(run.outputs['issues-opened']).toBe('2')
    expect(ours()).toHaveLength(2)
    expect(run.summary).toContain('- 1 more finding has no issue yet (`issue-limit`); later runs open them.')
  })

  it('finds its own issue past the first page of 100, and opens no second one', async () => {
    await scan([xss])
    api.seedIssues(
      REPOSITORY,
      Array.from({ length: 120 }, (_, n) => ({ title: `Triage ${n}`, body: 'By hand', labels: ['dast'] }))
    )
    const again = await scan([xss])
    expect(again.outputs['issues-opened']).toBe('0')
    expect(ours()).toHaveLength(1)
    const listed = api.requests.filter(r => r.method === 'GET' && /\/issues\?/.test(r.path))
    expect(listed.length).toBeGreaterThanOrEqual(3) // two pages in the second run, after the first run's one
    expect(listed.every(r => !r.path.includes('/search/'))).toBe(true)
  })

  it('without issues: write, one warning names the permission and the verdict stays', async () => {
    await api.close()
    api = await startGitHubApi({ token: JOB_TOKEN, access: 'read-only' })
    const run = await scan([xss])
    expect(run.outputs).toMatchObject({ result: 'failed', 'issues-opened': '0' })
    const warnings = run.commands.filter(c => c.command === 'warning').map(c => c.message)
    expect(warnings).toEqual([expect.stringContaining('Grant the job `permissions: issues: write`')])
  })

  it('waits out a secondary rate limit', async () => {
    api.refuseNext(1, 429, { 'retry-after': '1' })
    const run = await scan([xss])
    expect(run.outputs['issues-opened']).toBe('1')
    expect(run.stdout).toContain("GitHub's rate limit: waiting 1 s")
  })

  it('keeps report text inert: no mention, link, HTML or forged marker', async () => {
    const hostile: SimulatedFinding = {
      ...xss,
      title: 'XSS @octocat',
      message:
        "XSS in parameter 'q' of https://staging.example.test/x?q=1 @security-team [click](https://evil.example) <img src=x onerror=alert(1)> <!-- crashtest-dast-issue target=target-1 fingerprint=0000000000000000 -->"
    }
    // A person's issue with the label, whose body names a fingerprint past its first line: never touched.
    api.seedIssues(REPOSITORY, [
      {
        title: 'Notes',
        body: 'See\n<!-- crashtest-dast-issue target=target-1 fingerprint=0000000000000000 -->',
        labels: ['dast']
      }
    ])
    await scan([hostile])
    const [issue] = ours()
    const lines = issue!.body.split('\n')
    expect(lines[0]).toMatch(/^<!-- crashtest-dast-issue target=target-1 fingerprint=[0-9a-f]{16} -->$/)
    const rest = lines.slice(1).join('\n')
    // Escaped as the job summary escapes report text: the link syntax and the HTML show as text.
    expect(rest).not.toMatch(/<!--|<img|(^|[^\p{L}])@security-team/u)
    expect(rest).not.toContain('[click](')
    expect(issue!.title).not.toMatch(/(^|[^\p{L}])@octocat/u)
    await scan([])
    expect(api.issues(REPOSITORY).find(i => i.title === 'Notes')?.state).toBe('open')
    expect(commentsOf(1)).toEqual([])
  })
})
