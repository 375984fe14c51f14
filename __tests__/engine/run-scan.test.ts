// The engine's whole flow in-process, against the simulator over real HTTP on 127.0.0.1: what each front
// end gets from it (the outcome, the files, and what it told the log), whichever front end it is.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loopbackCertificate } from '../../simulator/tls.js'
import { startSimulator, type Simulator, type TargetScenario } from '../../simulator/webhook-api.js'
import type { RunLog } from '../../src/engine/log/run-log.js'
import { runScans, type RunOptions } from '../../src/engine/run/run-scan.js'
import { InputError } from '../../src/engine/settings/input-fields.js'
import { readSettings } from '../../src/engine/settings/read-settings.js'
import type { Settings } from '../../src/engine/settings/settings.js'

const WEBHOOK = 'wh-engine-5e3c9a'
const HIGH = {
  scanner: 'xss',
  title: 'Cross-Site Scripting',
  severity: 'high',
  message: 'https://app.test/q'
}
const LOW = { scanner: 'cookies', title: 'Cookie Security', severity: 'low', message: 'https://app.test/' }

type Event = { kind: 'info' | 'progress' | 'warning' | 'open' | 'close'; text: string }

/** A front end that only listens: every line, section and secret the engine hands it, in order. */
class RecordingLog implements RunLog {
  readonly events: Event[] = []
  readonly secrets: string[] = []
  info = (text: string): void => void this.events.push({ kind: 'info', text })
  progress = (text: string): void => void this.events.push({ kind: 'progress', text })
  warning = (text: string): void => void this.events.push({ kind: 'warning', text })
  secret = (value: string): void => void this.secrets.push(value)
  // Named as neither front end names them, so that a test sees the engine asked the front end.
  option = (name: string, value?: string): string =>
    value === undefined ? `<${name}>` : `<${name}=${value}>`
  async section<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.events.push({ kind: 'open', text: name })
    try {
      return await work()
    } finally {
      this.events.push({ kind: 'close', text: name })
    }
  }
  texts(kind: Event['kind']): string[] {
    return this.events.filter(event => event.kind === kind).map(event => event.text)
  }
}

let simulator: Simulator
let folder: string
beforeEach(async () => {
  simulator = await startSimulator()
  folder = mkdtempSync(join(tmpdir(), 'engine-'))
})
afterEach(() => simulator.close())

async function settingsFor(options: Record<string, string>, log = new RecordingLog()): Promise<Settings> {
  const values: Record<string, string> = {
    webhook: WEBHOOK,
    'api-url': simulator.url,
    'poll-interval': '1',
    ...options
  }
  const { settings } = await readSettings(
    name => values[name],
    folder,
    log,
    () => undefined
  )
  return settings
}

async function scan(
  target: TargetScenario,
  options: Record<string, string> = {},
  runOptions: RunOptions = {}
) {
  simulator.addTarget(WEBHOOK, { runningMs: 200, ...target })
  const log = new RecordingLog()
  const settings = await settingsFor(options, log)
  const run = await runScans(settings, log, runOptions)
  expect(run.targets).toHaveLength(1)
  return { run, outcome: run.targets[0]!, log, settings }
}

describe('runScan', () => {
  it('starts, waits, fetches and judges a passing scan, telling each step in its own section', async () => {
    const { outcome, log } = await scan({ findings: [LOW] })
    expect(outcome).toMatchObject({ result: 'passed', scanId: expect.any(String), statusCode: 200 })
    expect(outcome.report?.findings).toHaveLength(1)
    expect(log.texts('open')).toEqual(['Start', 'Wait', 'Report', 'Verdict'])
    expect(log.texts('close')).toEqual(['Start', 'Wait', 'Report', 'Verdict'])
    expect(log.texts('progress').at(-1)).toMatch(/^Status 200 \(finished\) after/)
    expect(log.texts('info')).toContain('Result: passed')
    expect(readFileSync(join(folder, 'crashtest-report.xml'), 'utf8')).toContain('Cookie Security')
  })

  it('fails a report that breaks the rules and writes every file made from it', async () => {
    const { outcome, run } = await scan(
      { findings: [HIGH, LOW] },
      { 'sarif-path': 'out/scan.sarif', 'gitlab-report': 'gl.json' },
      { sarifFallbackUri: '.github/workflows/dast.yml', toolVersion: '9.9.9' }
    )
    expect(outcome.result).toBe('failed')
    expect(outcome.verdict?.violations).toEqual([{ rule: 'fail-on', threshold: 'high', count: 1 }])
    expect(outcome.findingsPath).toBe(join(folder, 'crashtest-report.findings.json'))
    expect(run.sarifPath).toBe(join(folder, 'out/scan.sarif'))
    expect(run.gitlabReportPath).toBe(join(folder, 'gl.json'))
    const gitlab = JSON.parse(readFileSync(join(folder, 'gl.json'), 'utf8'))
    expect(gitlab.scan.scanner.version).toBe('9.9.9')
    expect(gitlab.vulnerabilities).toHaveLength(2)
  })

  it('ends in error, with what to check, when the service does not know the webhook', async () => {
    const { outcome } = await scan({ faults: { start: [{ status: 404 }] } })
    expect(outcome.result).toBe('error')
    expect(outcome.message).toContain('check <webhook> and <api-url>')
    expect(existsSync(join(folder, 'crashtest-report.xml'))).toBe(false)
  })

  it('ends in a time-out when the scan outlasts the timeout, and says the scan goes on', async () => {
    const { outcome } = await scan({ runningMs: 60_000 }, { timeout: '0.02' })
    expect(outcome.result).toBe('timeout')
    expect(outcome.message).toMatch(/did not finish within the time-out .* It goes on running on the service/)
  })

  it('only starts the scan when not waiting', async () => {
    const { outcome } = await scan({}, { wait: 'false' })
    expect(outcome).toEqual({ name: 'target-1', result: 'started', scanId: expect.any(String) })
    expect(simulator.requests).toHaveLength(1)
  })

  it('stops at once when aborted, and says the scan keeps running', async () => {
    const controller = new AbortController()
    simulator.addTarget(WEBHOOK, { runningMs: 60_000 })
    const log = new RecordingLog()
    const settings = await settingsFor({}, log)
    const running = runScans(settings, log, { signal: controller.signal })
    while (!log.texts('progress').some(text => text.startsWith('Status 101'))) {
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    const abortedAt = Date.now()
    controller.abort(new Error('stop'))
    const [outcome] = (await running).targets
    expect(Date.now() - abortedAt).toBeLessThan(1000)
    expect(outcome?.result).toBe('error')
    expect(outcome?.message).toMatch(/while waiting for scan \d+ .* keeps running on the service/)
  })
})

describe('readSettings', () => {
  it('hands every secret to the log before it validates anything, the one inside a webhook URL too', async () => {
    const log = new RecordingLog()
    const url = `${simulator.url}/${WEBHOOK}`
    await readSettings(
      name => ({ webhook: url, 'basic-auth-username': 'u', 'basic-auth-password': 'pw-9c1' })[name],
      folder,
      log,
      () => undefined
    )
    expect(log.secrets).toEqual(expect.arrayContaining([url, 'pw-9c1', WEBHOOK]))
  })

  it('lists every problem at once, the front end’s own among them, and sends nothing', async () => {
    const log = new RecordingLog()
    const read = (name: string) => ({ webhook: WEBHOOK, 'fail-on': 'severe', timeout: '-1' })[name]
    const failing = readSettings(read, folder, log, fields => fields.problem('a problem of the front end'))
    await expect(failing).rejects.toThrow(InputError)
    const error = (await failing.catch((e: unknown) => e)) as InputError
    // Each option named as the front end names it: this log writes <name>.
    expect(error.problems).toEqual([
      expect.stringContaining('<timeout> must be a number of minutes'),
      expect.stringContaining('<fail-on> must be one of critical, high, medium, low, info, never'),
      'a problem of the front end'
    ])
    expect(simulator.requests).toEqual([])
  })
})

describe('a service whose TLS certificate cannot be verified', () => {
  it('ends the run at the first try, saying no scan was started and how to trust a proxy’s CA', async () => {
    const { key, cert } = await loopbackCertificate(folder)
    let connections = 0
    const server = createServer({ key, cert }, (_request, response) => response.end('{}'))
    server.on('connection', () => connections++)
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const log = new RecordingLog()
      const settings = await settingsFor({ 'api-url': `https://127.0.0.1:${port}/webhook` }, log)
      const [outcome] = (await runScans(settings, log)).targets
      expect(outcome?.result).toBe('error')
      expect(outcome?.message).toContain(
        "The start request failed: the service's TLS certificate could not be verified"
      )
      expect(outcome?.message).toContain('NODE_EXTRA_CA_CERTS')
      expect(outcome?.message).toContain('No scan was started')
      expect(connections).toBe(1)
    } finally {
      await new Promise(resolve => server.close(resolve))
    }
  })
})

describe('an API host that does not exist', () => {
  it('ends the run at once, naming the host: a typo, not an outage to wait out', async () => {
    const log = new RecordingLog()
    const settings = await settingsFor({ 'api-url': 'https://api.no-such-host.invalid/webhook' }, log)
    const began = Date.now()
    const [outcome] = (await runScans(settings, log)).targets
    expect(outcome?.result).toBe('error')
    expect(outcome?.message).toBe(
      'Could not start the scan: The start request failed: the host api.no-such-host.invalid was not found (DNS: ENOTFOUND); check the API URL or the webhook URL for a typo. No scan was started.'
    )
    expect(log.texts('info').filter(text => /Attempt \d/.test(text))).toEqual([])
    expect(Date.now() - began).toBeLessThan(5000)
  })
})
