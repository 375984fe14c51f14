// What every benchmark section shares: one run of the bundled action (through the runner emulation) or of
// the documented shell recipe against the simulator, with the moments that matter taken from the outside.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ArtifactService } from '../../simulator/artifact-service.js'
import { runAction, type ActionRun } from '../../simulator/runner.js'
import type { RecordedRequest, Simulator } from '../../simulator/webhook-api.js'

export const RECIPE = fileURLToPath(new URL('./recipe.sh', import.meta.url))
export const RSS_PROBE = fileURLToPath(new URL('./rss-probe.mjs', import.meta.url))
export const WHOLE_DOCUMENT = fileURLToPath(new URL('./whole-document.mjs', import.meta.url))

export type Endpoint = 'start' | 'status' | 'report'
export type RequestCounts = Record<Endpoint, number>

/** The moments of one process run, all `Date.now()` on this machine, as the simulator's `at`. */
export interface Timed {
  /** right after spawn() returned */
  spawnedAt: number
  /** when the child's stdio closed: the end of the step as the runner sees it */
  closedAt: number
}

export interface ScanRun extends Timed {
  /** the start request as the simulator recorded it */
  startedAt: number
  /** when each status request arrived */
  statusAt: number[]
  requests: RequestCounts
}

let sequence = 0
/** A webhook of its own for every run, so that requests and scans are never mixed up. */
export function freshWebhook(prefix: string): string {
  return `bench-${prefix}-${++sequence}`
}

export function requestsOf(simulator: Simulator, webhook: string): RecordedRequest[] {
  return simulator.requests.filter(request => request.path.split('/').includes(webhook))
}

export function countRequests(requests: RecordedRequest[]): RequestCounts {
  const counts: RequestCounts = { start: 0, status: 0, report: 0 }
  for (const request of requests) {
    if (request.method === 'POST') counts.start++
    else if (request.path.endsWith('/status')) counts.status++
    else if (request.path.endsWith('/report/junit')) counts.report++
  }
  return counts
}

export interface OursOptions {
  simulator: Simulator
  webhook: string
  inputs?: Record<string, string>
  /** uploads go to this fake; without it the run is given `upload-artifact: false` */
  artifactService?: ArtifactService
  env?: Record<string, string>
  timeoutMs?: number
  onStdout?: (text: string, at: number) => void
}

export interface OursRun extends Timed {
  run: ActionRun
}

/** The bundled action, run by the runner emulation as a workflow step would run it. */
export async function runOurs(options: OursOptions): Promise<OursRun> {
  let spawnedAt = 0
  let closedAt = 0
  const artifact = options.artifactService
  const run = await runAction({
    inputs: {
      webhook: options.webhook,
      'api-url': options.simulator.url,
      ...(artifact ? {} : { 'upload-artifact': 'false' }),
      ...options.inputs
    },
    env: {
      ...(artifact
        ? { ACTIONS_RUNTIME_TOKEN: artifact.runtimeToken, ACTIONS_RESULTS_URL: artifact.url }
        : {}),
      ...options.env
    },
    timeoutMs: options.timeoutMs ?? 120_000,
    onSpawn: child => {
      spawnedAt = Date.now()
      child.stdout?.on('data', (chunk: Buffer) => options.onStdout?.(chunk.toString('utf8'), Date.now()))
      child.once('close', () => (closedAt = Date.now()))
    }
  })
  if (run.timedOut) throw new Error(`the action did not end within ${options.timeoutMs ?? 120_000} ms`)
  return { run, spawnedAt, closedAt }
}

/** Throws unless the action reached a verdict: any other end means the measurement is of a failure. */
export function expectVerdict(run: ActionRun, what: string): void {
  const result = run.outputs.result
  if (result === 'passed' || result === 'failed') return
  const log = run.stdout.split('\n').slice(-15).join('\n')
  throw new Error(
    `${what}: the action ended with result '${result}' instead of a verdict.\n${log}\n${run.stderr}`
  )
}

/** One scan by the bundled action: when it started the scan, when it ended, which requests it made. */
export async function scanWithOurs(options: OursOptions): Promise<ScanRun> {
  const { run, spawnedAt, closedAt } = await runOurs(options)
  expectVerdict(run, `the action's scan (${options.webhook})`)
  return { spawnedAt, closedAt, ...scanFacts(options.simulator, options.webhook) }
}

/**
 * One scan by the documented recipe, run as a workflow `run:` step runs a script (bash -e), in a folder of
 * its own. Throws unless it ended well and wrote the report.
 */
export async function scanWithRecipe(
  simulator: Simulator,
  webhook: string,
  pollIntervalMs: number,
  extraEnv: Record<string, string> = {}
): Promise<ScanRun> {
  const folder = mkdtempSync(join(tmpdir(), 'crashtest-bench-recipe-'))
  try {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? folder,
      WEBHOOK: webhook,
      API_ENDPOINT: simulator.url,
      POLL_INTERVAL: String(pollIntervalMs / 1000),
      ...extraEnv
    }
    const ended = await runProcess('bash', ['--noprofile', '--norc', '-e', RECIPE], { cwd: folder, env })
    const report = join(folder, 'report.xml')
    if (ended.code !== 0 || !existsSync(report) || !readFileSync(report, 'utf8').startsWith('<testsuites')) {
      throw new Error(
        `the recipe did not end with a report (exit ${ended.code}):\n${ended.stdout}${ended.stderr}`
      )
    }
    return { spawnedAt: ended.spawnedAt, closedAt: ended.closedAt, ...scanFacts(simulator, webhook) }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

function scanFacts(simulator: Simulator, webhook: string): Omit<ScanRun, keyof Timed> {
  const requests = requestsOf(simulator, webhook)
  const start = requests.find(request => request.method === 'POST')
  if (!start) throw new Error(`no start request reached the simulator for ${webhook}`)
  const statusAt = requests.filter(request => request.path.endsWith('/status')).map(request => request.at)
  return { startedAt: start.at, statusAt, requests: countRequests(requests) }
}

export interface ProcessEnd extends Timed {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs a command to its end, taking the time right after spawn and when its stdio closes. */
export async function runProcess(
  command: string,
  args: string[],
  options: {
    cwd?: string
    env?: Record<string, string>
    onStdout?: (text: string, at: number) => void
    timeoutMs?: number
  } = {}
): Promise<ProcessEnd> {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const spawnedAt = Date.now()
  const stdout: string[] = []
  const stderr: string[] = []
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8')
    options.onStdout?.(text, Date.now())
    stdout.push(text)
  })
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')))
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000)
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject)
      child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
    })
    return { spawnedAt, closedAt: Date.now(), code, signal, stdout: stdout.join(''), stderr: stderr.join('') }
  } finally {
    clearTimeout(timer)
  }
}

/** Whether a command can be run at all (`command --version`, or another argument, exits 0). */
export async function available(command: string, versionArgument = '--version'): Promise<string | undefined> {
  try {
    const ended = await runProcess(command, [versionArgument], { env: { PATH: process.env.PATH ?? '' } })
    return ended.code === 0 ? (ended.stdout.split('\n')[0] ?? '').trim() : undefined
  } catch {
    return undefined
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
