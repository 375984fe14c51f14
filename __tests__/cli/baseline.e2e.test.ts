// The command compared with an earlier report the CI system kept: the change in one line, and the counts
// in --json. `--baseline auto` is the action's.
import { describe, expect, it } from '@jest/globals'
import { renderJunitReport } from '../../simulator/junit.js'
import { runCliScenario } from './fixtures.js'

const on = (host: string) => [
  {
    scanner: 'xss',
    title: 'XSS',
    severity: 'high',
    message: `XSS in parameter 'q' of https://${host}/search?q=1`
  },
  { scanner: 'headers', title: 'Headers', severity: 'medium', message: `CSP missing on https://${host}/` }
]
const sqli = {
  scanner: 'sqlinjection',
  title: 'SQLi',
  severity: 'critical',
  message: 'SQLi of https://preview.example/a?id=1'
}

describe('--baseline', () => {
  it('judges only what is new since the earlier report, on whatever host it was taken, and tells the change', async () => {
    const [xss] = on('preview.example')
    const run = await runCliScenario({
      target: { findings: [xss!, sqli] },
      files: { 'earlier.xml': renderJunitReport(on('staging.example'), 2) },
      args: ['scan', '--baseline', 'earlier.xml', '--json']
    })
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain(
      'Compared with the baseline: 1 new · 1 fixed · 1 unchanged since earlier.xml; only new findings are judged.'
    )
    const json = JSON.parse(run.stdout) as Record<string, unknown>
    expect(json).toMatchObject({ result: 'failed', findings: 2, 'new-findings': 1, fixed: 1 })
    expect(json).not.toHaveProperty('baseline-run-id')
  })

  it('auto is refused before any request: the command takes a file', async () => {
    const run = await runCliScenario({ args: ['scan', '--baseline', 'auto'] })
    expect(run.exitCode).toBe(2)
    expect(run.requests).toEqual([])
    expect(run.stderr).toContain(
      "--baseline auto looks up the previous run through GitHub's API, which only the action does"
    )
  })
})
