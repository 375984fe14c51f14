// The verdict: severity rules, budgets, and what a run publishes (outputs, summary, annotations,
// report file, artifact), judged on the bundled action against the simulator.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SimulatedFinding } from '../../simulator/webhook-api.js'
import { annotations, failureMessage, runScenario } from './fixtures.js'

const finding = (severity: string, n = 1): SimulatedFinding => ({
  scanner: 'xss',
  title: `Finding ${severity} ${n}`,
  severity,
  message: `https://app.example.test/page-${n} parameter q (${severity})`
})

describe('a failing gate', () => {
  it('fails the step, sets every output, writes the report, summary, annotations and artifact', async () => {
    const run = await runScenario({ inputs: { 'fail-on': 'high' } })

    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({
      result: 'failed',
      'scan-id': '1001',
      'status-code': '200',
      findings: '8',
      critical: '1',
      high: '2',
      medium: '2',
      low: '1',
      info: '2'
    })
    const reportPath = join(run.workspace, 'crashtest-report.xml')
    expect(run.outputs['report-path']).toBe(reportPath)
    const report = readFileSync(reportPath)
    expect(report.toString()).toContain('<testsuites')

    expect(run.artifacts).toHaveLength(1)
    const [artifact] = run.artifacts
    expect(artifact?.name).toBe('crashtest-report-1001')
    expect(run.outputs['artifact-id']).toBe(String(artifact?.id))
    expect(artifact?.files['crashtest-report.xml']).toEqual(report)

    expect(run.summary).toContain('Crashtest DAST scan failed')
    expect(run.summary).toContain('fail-on: high — 3 findings of severity high or worse')
    expect(run.summary).toContain(`/artifacts/${artifact?.id}`)
    expect(run.summary).toContain('Scanner errors')
    expect(run.summary).toContain('Skipped checks')

    const errors = annotations(run, 'error')
    expect(errors.map(e => e.properties.title)).toEqual([
      'Crashtest critical: SQL Injection',
      'Crashtest high: Transport Layer Security (TLS/SSL)',
      'Crashtest high: Cross-Site Scripting (XSS)'
    ])
    expect(failureMessage(run)).toContain('The scan broke the rules: fail-on: high')
  })

  it('tells the story in groups, one line per poll', async () => {
    const run = await runScenario({ target: { queuedMs: 1000, runningMs: 1000 } })
    const groups = run.commands.filter(c => c.command === 'group').map(c => c.message)
    expect(groups).toEqual(['Inputs', 'Start', 'Wait', 'Report', 'Verdict', 'Artifact'])
    expect(run.stdout).toMatch(/Status 100 \(queued\), waited 0s\./)
    expect(run.stdout).toMatch(/Status 101 \(running\), waited \ds\./)
    expect(run.stdout).toMatch(/Status 200 \(finished\) after \ds\./)
  })

  it('caps annotations at ten and adds one notice for the rest', async () => {
    const findings = Array.from({ length: 13 }, (_, i) => finding('high', i))
    const run = await runScenario({ target: { findings } })
    expect(run.exitCode).toBe(1)
    expect(annotations(run, 'error')).toHaveLength(10)
    // Besides the notice that the legacy API is called unsigned (no Veracode credentials here).
    const legacy = (n: { properties: Record<string, string> }) =>
      n.properties.title === 'Crashtest: the legacy API is called'
    expect(
      annotations(run, 'notice')
        .filter(legacy)
        .map(n => n.message)
    ).toEqual([
      'No Veracode API credentials: requests are not signed, as the legacy Crashtest API expects. For Veracode DAST Essentials, pass your API credentials as the veracode-api-id and veracode-api-key inputs, from secrets.'
    ])
    const notices = annotations(run, 'notice').filter(n => !legacy(n))
    expect(notices).toHaveLength(1)
    expect(notices[0]?.message).toContain('3 more findings')
  })
})

describe('a passing gate', () => {
  it('passes when nothing reaches fail-on', async () => {
    const run = await runScenario({
      target: { findings: [finding('medium'), finding('low'), finding('info')] },
      inputs: { 'fail-on': 'high' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'passed', findings: '3', high: '0', medium: '1' })
    expect(run.summary).toContain('Crashtest DAST scan passed')
    expect(run.summary).toContain('No rule was broken.')
    expect(annotations(run, 'error')).toHaveLength(0)
  })

  it('passes a report with no findings at all under the strictest rule', async () => {
    const run = await runScenario({ target: { findings: [] }, inputs: { 'fail-on': 'info' } })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'passed', findings: '0' })
    expect(run.summary).toContain('The scan reported no findings.')
  })
})

describe('fail-on', () => {
  const findings = [finding('medium'), finding('low')]
  it.each([
    ['critical', 0],
    ['high', 0],
    ['medium', 1],
    ['low', 1],
    ['info', 1],
    ['never', 0]
  ])('fail-on: %s gives exit code %d for a medium and a low finding', async (failOn, exitCode) => {
    const run = await runScenario({ target: { findings }, inputs: { 'fail-on': failOn } })
    expect(run.exitCode).toBe(exitCode)
    expect(run.outputs.result).toBe(exitCode === 0 ? 'passed' : 'failed')
  })
})

describe('max-findings', () => {
  const findings = [finding('medium', 1), finding('medium', 2), finding('low', 3)]

  it('fails when a count exceeds its budget', async () => {
    const run = await runScenario({
      target: { findings },
      inputs: { 'fail-on': 'never', 'max-findings': 'medium=1' }
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('failed')
    expect(failureMessage(run)).toContain('max-findings: medium=1 — 2 medium findings exceed the budget of 1')
  })

  it('passes when every count is within its budget (new-line separated)', async () => {
    const run = await runScenario({
      target: { findings },
      inputs: { 'fail-on': 'never', 'max-findings': 'medium=2\nlow=1\nhigh=0' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.result).toBe('passed')
  })

  it('applies together with fail-on', async () => {
    const run = await runScenario({
      target: { findings },
      inputs: { 'fail-on': 'low', 'max-findings': 'medium=5' }
    })
    expect(run.exitCode).toBe(1)
    expect(run.summary).toContain('fail-on: low')
  })
})

describe('what the report holds besides findings', () => {
  it('counts and shows scanner errors and skipped checks without judging them', async () => {
    const run = await runScenario({
      target: {
        findings: [
          { scanner: 'xxe', title: 'XXE', severity: 'error', message: 'scanner crashed' },
          { scanner: 'lfi', title: 'File Inclusion', severity: 'SKIPPED', message: 'nothing to test' }
        ]
      },
      inputs: { 'fail-on': 'info' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'passed', findings: '0' })
    expect(run.summary).toContain('Scanner errors: checks that could not run (1)')
    expect(run.summary).toContain('scanner crashed')
    expect(run.summary).toContain('Skipped checks (1)')
    expect(run.stdout).toContain('1 scanner errors, 1 skipped checks')
  })

  it('judges an unknown severity like high and shows it as unknown', async () => {
    const findings = [{ scanner: 'xss', title: 'Odd', severity: 'severe', message: 'm' }]
    const high = await runScenario({ target: { findings }, inputs: { 'fail-on': 'high' } })
    expect(high.exitCode).toBe(1)
    expect(high.outputs).toMatchObject({ result: 'failed', findings: '1', high: '0' })
    expect(high.summary).toContain('Unknown (judged as high)')
    expect(high.summary).toContain('severe')
    expect(annotations(high, 'error')[0]?.properties.title).toBe('Crashtest unknown severity "severe": Odd')

    const critical = await runScenario({ target: { findings }, inputs: { 'fail-on': 'critical' } })
    expect(critical.exitCode).toBe(0)
    expect(critical.outputs.result).toBe('passed')
  })
})

describe('publishing switches', () => {
  it('writes no summary, no annotations and no artifact when told not to', async () => {
    const run = await runScenario({
      inputs: {
        summary: 'false',
        annotations: 'false',
        'upload-artifact': 'false',
        'report-path': 'out/dast.xml'
      }
    })
    expect(run.exitCode).toBe(1)
    expect(run.summary).toBe('')
    expect(annotations(run, 'error')).toHaveLength(0)
    expect(run.artifacts).toHaveLength(0)
    expect(run.outputs['artifact-id']).toBeUndefined()
    expect(run.outputs['report-path']).toBe(join(run.workspace, 'out', 'dast.xml'))
    expect(readFileSync(join(run.workspace, 'out', 'dast.xml'), 'utf8')).toContain('<testsuites')
  })

  it('names the artifact as asked and passes the retention on', async () => {
    const run = await runScenario({ inputs: { 'artifact-name': 'dast-report-linux', 'retention-days': '3' } })
    expect(run.artifacts[0]?.name).toBe('dast-report-linux')
    expect(run.artifacts[0]?.expiresAt).toBeDefined()
  })
})
