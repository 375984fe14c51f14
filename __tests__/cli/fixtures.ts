// One run of the installed command against a fresh simulator, checked on every run for what must never
// happen whatever the scenario: a secret in anything it printed, an escape code on a log that is not a
// terminal, a warning of Node's.
import { expect } from '@jest/globals'
import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import {
  startSimulator,
  type RecordedRequest,
  type Simulator,
  type TargetScenario
} from '../../simulator/webhook-api.js'
import { runCli, type CliRun, type NodeMajor } from './harness.js'

/** A distinctive webhook secret: any appearance of it in the command's output is a leak. */
export const WEBHOOK = 'wh-cli-S3cr3t-41d9e07b'

export interface CliScenario {
  target?: TargetScenario
  /** Environment beyond CRASHTEST_WEBHOOK and CRASHTEST_API_URL, which point at the simulator. */
  env?: Record<string, string>
  args?: string[]
  node?: NodeMajor
  /** Files to write into the working directory first, by relative path. */
  files?: Record<string, string>
  /** More values that must not show, besides the webhook. */
  secrets?: string[]
  /** Leave CRASHTEST_WEBHOOK unset. */
  noWebhook?: boolean
  /** Give CRASHTEST_WEBHOOK as the whole webhook URL, and no CRASHTEST_API_URL. */
  webhookAsUrl?: boolean
  onSpawn?: (child: ChildProcess) => void
  timeoutMs?: number
  /** More targets by webhook secret (secrets that must not leak either). */
  targets?: Record<string, TargetScenario>
  /** Runs once the simulator is up; the environment it returns is added to the command's. */
  before?: (simulator: Simulator) => Promise<Record<string, string>>
}

export interface CliScenarioRun extends CliRun {
  requests: RecordedRequest[]
  apiUrl: string
}

export async function runCliScenario(scenario: CliScenario = {}): Promise<CliScenarioRun> {
  const simulator = await startSimulator()
  try {
    simulator.addTarget(WEBHOOK, { runningMs: 300, ...scenario.target })
    for (const [webhook, target] of Object.entries(scenario.targets ?? {}))
      simulator.addTarget(webhook, target)
    const envBefore = (await scenario.before?.(simulator)) ?? {}
    const env: Record<string, string> = {
      ...(scenario.webhookAsUrl
        ? { CRASHTEST_WEBHOOK: `${simulator.url}/${WEBHOOK}` }
        : { CRASHTEST_API_URL: simulator.url }),
      CRASHTEST_POLL_INTERVAL: '1',
      ...(scenario.noWebhook || scenario.webhookAsUrl ? {} : { CRASHTEST_WEBHOOK: WEBHOOK }),
      ...scenario.env,
      ...envBefore
    }
    const cwd = scenario.files ? writeFiles(scenario.files) : undefined
    const run = await runCli({
      args: scenario.args ?? ['scan'],
      env,
      cwd,
      node: scenario.node,
      onSpawn: scenario.onSpawn,
      timeoutMs: scenario.timeoutMs
    })
    expect(run.timedOut).toBe(false)
    expectNothingLeaked(run, [WEBHOOK, ...Object.keys(scenario.targets ?? {}), ...(scenario.secrets ?? [])])
    expect(run.stderr).not.toMatch(/\(node:\d+\) \w*Warning/)
    if (env.GITLAB_CI !== 'true') expectNoEscapeCodes(run)
    return { ...run, requests: [...simulator.requests], apiUrl: simulator.url }
  } finally {
    await simulator.close()
  }
}

/** Neither verbatim nor in the URL- or JSON-encoded forms a message may quote it in. */
export function expectNothingLeaked(run: CliRun, secrets: string[]): void {
  const leaks: string[] = []
  for (const secret of secrets) {
    const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])
    for (const [stream, text] of [
      ['stdout', run.stdout],
      ['stderr', run.stderr]
    ] as const) {
      for (const form of forms)
        if (text.includes(form)) leaks.push(`${stream} shows a secret (${form.length} chars)`)
    }
  }
  expect(leaks).toEqual([])
}

/** A log that is not a terminal gets plain lines: no colour, no redrawn status line. */
export function expectNoEscapeCodes(run: CliRun): void {
  for (const text of [run.stderr, run.stdout]) {
    expect(text.includes(ESC)).toBe(false)
    expect(text.includes('\r')).toBe(false)
  }
}

const ESC = String.fromCharCode(27)

export const endpoint = (request: RecordedRequest): string =>
  request.path.includes('/status') ? 'status' : request.path.includes('/report') ? 'report' : 'start'

function writeFiles(files: Record<string, string>): string {
  const cwd = join(
    process.env.CRASHTEST_TEST_TMP ?? '/tmp',
    'runs',
    `files-${process.pid}-${Date.now()}-${Math.random()}`
  )
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, path)), { recursive: true })
    writeFileSync(join(cwd, path), text)
  }
  mkdirSync(cwd, { recursive: true })
  return cwd
}
