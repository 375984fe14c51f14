// `baseline: auto`: the bundled action finds the earlier report itself, through a local fake of GitHub's
// REST API (runs, artifacts, the artifact's zip behind a redirect to blob storage) and the real
// @actions/artifact client, and judges only what is new. Every way the lookup can fail is a row of
// docs/reliability.md (see ./reliability.ts).
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startGitHubApi, type FakeGitHubApi, type FakeRun } from '../../simulator/github-api.js'
import type { SimulatedFinding } from '../../simulator/webhook-api.js'
import { runScenario, type Scenario, type ScenarioRun } from './fixtures.js'
import { JOB_TOKEN } from './harness.js'

const REPOSITORY = 'octo/app'
const CURRENT_RUN = 9876543210 // GITHUB_RUN_ID of every run of the runner emulation

const finding = (scanner: string, severity: string, path: string, host = 'staging.example.test') => ({
  scanner,
  title: `${scanner} finding`,
  severity,
  message: `Found in parameter 'q' of https://${host}/${path}?q=1`
})
const xss = finding('xss', 'high', 'search')
const tls = finding('ssl', 'high', '')
const sqli = finding('sqlinjection', 'critical', 'products')

const schedule = {
  name: 'schedule',
  payload: { schedule: '0 3 * * *', repository: { default_branch: 'main' } }
}
const pullRequest = {
  name: 'pull_request',
  payload: {
    number: 7,
    pull_request: { number: 7, head: { ref: 'feature' }, base: { ref: 'release' } },
    repository: { full_name: REPOSITORY, default_branch: 'main' }
  }
}

/** The zip the action uploaded for a scan of these findings (target names as `webhook` lines, if any). */
async function artifactOf(findings: SimulatedFinding[], several?: Record<string, SimulatedFinding[]>) {
  const targets =
    several &&
    Object.fromEntries(
      Object.entries(several).map(([name, f]) => [`wh-${name}`, { findings: f, runningMs: 100 }])
    )
  const run = await runScenario({
    target: { findings, runningMs: 100 },
    ...(targets && {
      targets,
      inputs: {
        'fail-on': 'never',
        webhook: Object.keys(several ?? {})
          .map(name => `${name}: wh-${name}`)
          .join('\n')
      }
    }),
    ...(!targets && { inputs: { 'fail-on': 'never' } })
  })
  expect(run.artifacts).toHaveLength(1)
  return { name: run.artifacts[0]!.name, zip: run.artifacts[0]!.zip }
}

let earlier: { name: string; zip: Buffer }
let other: { name: string; zip: Buffer }
beforeAll(async () => {
  earlier = await artifactOf([xss, tls])
  other = await artifactOf([sqli])
}, 60_000)

let api: FakeGitHubApi
beforeEach(async () => {
  api = await startGitHubApi({ token: JOB_TOKEN })
})
afterEach(async () => {
  await api.close()
})

const run = (extra: Omit<FakeRun, 'workflow'> & { workflow?: string }) =>
  api.addRun(REPOSITORY, { workflow: 'ci.yml', ...extra })

/** A scan with `baseline: auto`: the same two findings as the baseline, moved to a preview host, and a new one. */
async function scan(scenario: Scenario = {}): Promise<ScenarioRun> {
  return runScenario({
    event: schedule,
    target: {
      findings: [xss, tls, sqli].map(f => ({ ...f, message: f.message.replace('staging', 'preview') }))
    },
    ...scenario,
    inputs: { baseline: 'auto', 'fail-on': 'high', ...scenario.inputs },
    env: { GITHUB_API_URL: api.url, ...scenario.env }
  })
}

/** The notices about the baseline (the legacy API's is always there: these runs have no Veracode keys). */
const notices = (result: ScenarioRun) =>
  result.commands
    .filter(c => c.command === 'notice' && c.properties.title === 'Crashtest: no baseline')
    .map(c => c.message)

describe('baseline: auto', () => {
  it('judges only what is new since the newest successful run on the default branch', async () => {
    const baseline = run({ branch: 'main', conclusion: 'success', artifacts: [earlier] })
    run({ branch: 'main', conclusion: 'failure', artifacts: [other] }) // a failed gate: never a baseline
    run({ branch: 'feature', conclusion: 'success', artifacts: [other] }) // another branch
    run({ branch: 'main', conclusion: 'success', artifacts: [other], id: CURRENT_RUN }) // this very run
    const result = await scan()
    expect(result.outputs).toMatchObject({
      result: 'failed',
      findings: '3',
      'new-findings': '1',
      fixed: '0',
      'baseline-run-id': String(baseline)
    })
    const url = `https://github.com/${REPOSITORY}/actions/runs/${baseline}`
    expect(result.summary).toContain(`**1 new · 0 fixed · 2 unchanged since [run ${baseline}](${url})**`)
    expect(result.stdout).toContain(
      `Compared with the baseline: 1 new · 0 fixed · 2 unchanged since run ${baseline} (${url})`
    )
    // The download: the artifact's zip through GitHub's redirect to blob storage.
    const paths = api.requests.map(r => r.path.split('?')[0])
    expect(paths).toEqual(
      expect.arrayContaining([
        `/api/v3/repos/${REPOSITORY}/actions/workflows/ci.yml/runs`,
        `/api/v3/repos/${REPOSITORY}/actions/runs/${baseline}/artifacts`,
        expect.stringMatching(/^\/api\/v3\/repos\/octo\/app\/actions\/artifacts\/\d+\/zip$/),
        expect.stringMatching(/^\/blob\/\d+\.zip$/)
      ])
    )
    expect(notices(result)).toEqual([])
  })

  it("compares a pull request with its base branch's newest successful run", async () => {
    run({ branch: 'main', conclusion: 'success', artifacts: [other] })
    const release = run({ branch: 'release', conclusion: 'success', artifacts: [earlier] })
    const result = await scan({ event: pullRequest })
    expect(result.outputs).toMatchObject({ 'new-findings': '1', 'baseline-run-id': String(release) })
    const listed = api.requests.find(r => r.path.includes('/actions/workflows/'))
    expect(new URL(listed!.path, 'http://x').searchParams.get('branch')).toBe('release')
  })

  it('compares each of several targets with its own earlier report, matched by name', async () => {
    const both = await artifactOf([], { alpha: [xss], beta: [tls, sqli] })
    const id = run({ branch: 'main', conclusion: 'success', artifacts: [both] })
    const result = await scan({
      targets: { 'wh-alpha': { findings: [xss, sqli] }, 'wh-beta': { findings: [tls] } },
      inputs: { webhook: 'alpha: wh-alpha\nbeta: wh-beta' }
    })
    const targets = JSON.parse(result.outputs.targets ?? '[]') as Record<string, unknown>[]
    expect(targets.map(t => [t.name, t['new-findings'], t.fixed])).toEqual([
      ['alpha', 1, 0],
      ['beta', 0, 1]
    ])
    expect(result.outputs['baseline-run-id']).toBe(`alpha: ${id}\nbeta: ${id}`)
  })
})
