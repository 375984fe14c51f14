// How a run starts and ends: not waiting, a scan already running, time-outs, and refusals before
// anything is sent.
import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { failureMessage, runScenario, WEBHOOK } from './fixtures.js'

describe('wait: false', () => {
  it('starts the scan, sets the scan id and ends green without polling', async () => {
    const run = await runScenario({ target: { runningMs: 60_000 }, inputs: { wait: 'false' } })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'started', 'scan-id': '1001' })
    expect(run.count('start')).toBe(1)
    expect(run.count('status')).toBe(0)
    expect(existsSync(join(run.workspace, 'crashtest-report.xml'))).toBe(false)
    expect(run.summary).toContain('Crashtest DAST scan started')
  })
})

describe('a scan of the target is already running', () => {
  it('if-running: fail ends with an error and starts nothing', async () => {
    const run = await runScenario({ target: { alreadyRunning: Infinity }, inputs: { 'if-running': 'fail' } })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(run.outputs['scan-id']).toBeUndefined()
    expect(run.count('start')).toBe(1)
    expect(failureMessage(run)).toContain('A scan of this target is already running')
    expect(failureMessage(run)).toContain('if-running: wait')
  })

  it('if-running: wait tries again until the start is accepted', async () => {
    const run = await runScenario({
      target: { alreadyRunning: 2 },
      inputs: { 'if-running': 'wait', 'fail-on': 'never' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'passed', 'scan-id': '1001' })
    expect(run.count('start')).toBe(3)
    expect(run.stdout).toContain('A scan of this target is already running; trying to start again in 1s')
  })

  it('if-running: wait gives up at the time-out', async () => {
    const run = await runScenario({ target: { alreadyRunning: Infinity }, inputs: { timeout: '0.05' } })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('timeout')
    expect(run.count('start')).toBeGreaterThanOrEqual(3)
    expect(failureMessage(run)).toContain('no scan was started')
  })
})

describe('the scan does not finish in time', () => {
  it('on-timeout: fail fails the step with result timeout', async () => {
    const run = await runScenario({ target: { runningMs: 600_000 }, inputs: { timeout: '0.05' } })
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({ result: 'timeout', 'scan-id': '1001', 'status-code': '101' })
    expect(run.count('report')).toBe(0)
    expect(failureMessage(run)).toMatch(
      /Scan 1001 did not finish within the time-out of 3s \(last status 101\)/
    )
    expect(run.summary).toContain('Crashtest DAST scan timed out')
  })

  it('on-timeout: warn warns and passes with result timeout', async () => {
    const run = await runScenario({
      target: { runningMs: 600_000 },
      inputs: { timeout: '0.05', 'on-timeout': 'warn' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.result).toBe('timeout')
    const warnings = run.commands.filter(c => c.command === 'warning')
    expect(warnings.map(w => w.message).join('\n')).toContain('did not finish within the time-out')
    expect(run.commands.some(c => c.command === 'error')).toBe(false)
  })
})

describe('the service does not know the webhook', () => {
  it('ends with result error quoting the HTTP status and the message', async () => {
    const run = await runScenario({ unknownWebhook: true })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    const message = failureMessage(run)
    expect(message).toContain('HTTP 404: Webhook not found')
    expect(message).toContain("check 'webhook' and 'api-url'")
    expect(run.count('start')).toBe(1)
  })
})

describe('the webhook given as a whole URL', () => {
  it('takes the base URL and the secret from it, and masks the secret', async () => {
    // api-url keeps its default (the public service): only the URL in `webhook` can lead to the simulator.
    const run = await runScenario({ webhookAsUrl: true, inputs: { 'fail-on': 'never' } })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.result).toBe('passed')
    expect(run.count('start')).toBe(1)
    const masks = run.commands.filter(c => c.command === 'add-mask').map(c => c.message)
    expect(masks).toContain(WEBHOOK)
  })
})

describe('bad input', () => {
  it.each([
    [
      { 'fail-on': 'severe' },
      "'fail-on' must be one of critical, high, medium, low, info, never; got 'severe'"
    ],
    [{ 'poll-interval': '0.5' }, "'poll-interval' must be a number of seconds at least 1"],
    [{ 'request-timeout': '0' }, "'request-timeout' must be a number of seconds at least 1 and at most 600"],
    [{ timeout: 'soon' }, "'timeout' must be a number of minutes greater than 0"],
    [
      { 'api-url': 'http://scanner.example.com/webhook' },
      'plain http:// is accepted only for loopback hosts'
    ],
    [{ 'max-findings': 'high=many' }, "'max-findings' entries must be <severity>=<count>"],
    [{ wait: 'yes' }, "'wait' must be true or false, got 'yes'"],
    [{ webhook: 'not a secret!' }, "'webhook' must be the webhook secret"]
  ])('%j is refused before any request is sent', async (inputs, expected) => {
    const run = await runScenario({ inputs })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(failureMessage(run)).toContain(expected)
    expect(run.requests).toHaveLength(0)
  })
})

describe('a long wait', () => {
  it('polls a dozen times over one kept-alive connection without a listener leak warning', async () => {
    // Every answer on a kept-alive socket once left a listener on it: Node warned after the tenth.
    const run = await runScenario({ target: { runningMs: 11_500 }, timeoutMs: 25_000 })
    expect(run.outputs.result).toBe('failed')
    expect(run.count('status')).toBeGreaterThanOrEqual(12)
    expect(run.stderr).toBe('')
  })
})
