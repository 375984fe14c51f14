// The measurements against the simulator, each returning plain samples for render.ts: overhead, start-up,
// report processing and several targets.
import { rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { ArtifactService } from '../../simulator/artifact-service.js'
import type { RecordedRequest, Simulator } from '../../simulator/webhook-api.js'
import { writeJunitReport, type ReportShape } from './junit-file.js'
import {
  peakRss,
  rssProbe,
  runCommand,
  runProcess,
  runRecipe,
  runTheAction,
  WHOLE_DOCUMENT,
  type InstalledCommand,
  type Timed
} from './processes.js'

export interface Bench {
  simulator: Simulator
  artifactService: ArtifactService
  log: (line: string) => void
  /** the certificate of a simulator that serves HTTPS, for both tools to trust */
  caFile?: string
}

let sequence = 0
/** A target of its own for every run, so that requests and scans are never mixed up. */
function newTarget(bench: Bench, prefix: string, scenario: Parameters<Simulator['addTarget']>[1]): string {
  const webhook = `bench-${prefix}-${++sequence}`
  bench.simulator.addTarget(webhook, scenario)
  return webhook
}

export function requestsOf(simulator: Simulator, webhook: string): RecordedRequest[] {
  return simulator.requests.filter(request => request.path.split('/').includes(webhook))
}

function reportRequestAt(bench: Bench, webhook: string): number {
  const request = requestsOf(bench.simulator, webhook).find(r => r.path.endsWith('/report/junit'))
  if (!request) throw new Error(`${webhook}: the report was never asked for`)
  return request.at
}

export type Tool = 'recipe' | 'ours' | 'ours-report-only'

export type OverheadSample = Awaited<ReturnType<typeof overheadOf>>

/**
 * What a tool adds to a scan of unknown length: on average half the poll spacing passes between the
 * scan's end and the poll that sees it, then the tool's own work until its step ends. Of a run scaled down
 * by `factor`, at full scale: the interval scales, what each poll took beyond it does not.
 */
export function expectedOverhead(sample: OverheadSample, factor: number): number {
  return (sample.intervalMs * factor + sample.pollSpacingMs - sample.intervalMs) / 2 + sample.afterEndMs
}

/** The fewest requests that can see a scan end: the start, one status per interval begun, the report. */
export function minimumRequests(scanMs: number, intervalMs: number): number {
  return 1 + Math.ceil(scanMs / intervalMs) + 1
}

/** One scan of `scanMs` by `tool` polling every `intervalMs`; the status is where the recipe reads it. */
export async function overheadOf(bench: Bench, tool: Tool, scanMs: number, intervalMs: number) {
  const webhook = newTarget(bench, tool, { runningMs: scanMs, statusKey: 'code' })
  const { url } = bench.simulator
  const run: Timed =
    tool === 'recipe'
      ? await runRecipe(url, webhook, intervalMs, bench.caFile)
      : await runTheAction({
          apiUrl: url,
          webhook,
          inputs: { 'poll-interval': String(intervalMs / 1000) },
          artifactService: tool === 'ours' ? bench.artifactService : undefined,
          env: bench.caFile ? { NODE_EXTRA_CA_CERTS: bench.caFile } : {}
        })
  const requests = requestsOf(bench.simulator, webhook)
  const startedAt = requests.find(r => r.method === 'POST')?.at ?? NaN
  const polls = requests.filter(r => r.path.endsWith('/status')).map(r => r.at)
  const sawEnd = polls.find(at => at >= startedAt + scanMs)
  if (sawEnd === undefined || polls.length < 2) throw new Error(`${tool}: no status request saw the scan end`)
  bench.log(`  ${tool} scan ${scanMs} ms every ${intervalMs} ms: ${run.closedAt - startedAt - scanMs} ms`)
  return {
    tool,
    scanMs,
    intervalMs,
    /** from the start request to the end of the step, minus the scan */
    overheadMs: run.closedAt - startedAt - scanMs,
    /** the mean time between two status requests */
    pollSpacingMs: (polls.at(-1)! - polls[0]!) / (polls.length - 1),
    /** from the status request that saw the scan end to the end of the step */
    afterEndMs: run.closedAt - sawEnd,
    requests: requests.length
  }
}

/**
 * Each tool polling at its interval, once per scan length, every duration divided by `factor` so that
 * scans of minutes run in seconds (1: as given).
 */
export interface OverheadPlan {
  /** each tool's poll interval */
  tools: Partial<Record<Tool, number>>
  scanLengthsMs: number[]
  factor: number
}

export async function overheads(bench: Bench, plan: OverheadPlan): Promise<OverheadSample[]> {
  const samples: OverheadSample[] = []
  for (const [[tool, intervalMs], round] of turns(Object.entries(plan.tools), plan.scanLengthsMs.length)) {
    const scanMs = Math.round(plan.scanLengthsMs[round]! / plan.factor)
    samples.push(await overheadOf(bench, tool as Tool, scanMs, intervalMs / plan.factor))
  }
  return samples
}

/**
 * `items` once per round, each round starting one further on, so that a busy moment of the machine hits
 * all alike and none always runs right after the same one.
 */
function* turns<T>(items: readonly T[], rounds: number): Generator<[T, number]> {
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < items.length; index++) yield [items[(index + round) % items.length]!, round]
  }
}

export type Starter = 'action' | 'command' | 'bare-fetch' | 'bare-http'

/** `startupMs`: from right after spawn() returned to the arrival of the first request. */
export type StartupSample = { starter: Starter; node: 22 | 24; startupMs: number }

/** What is measured, in the order of the page; the action runs on Node 24 only, as action.yml says. */
export const STARTUP_PROCESSES = (['action', 'command', 'bare-fetch', 'bare-http'] as const).flatMap(
  starter =>
    (starter === 'action' ? [24 as const] : [24 as const, 22 as const]).map(node => ({ starter, node }))
)

const BARE_SCRIPTS = {
  'bare-fetch': (url: string) =>
    `fetch(${JSON.stringify(url)}, { method: 'POST', body: '' }).then(r => r.text())`,
  'bare-http': (url: string) =>
    `require('node:http').request(${JSON.stringify(url)}, { method: 'POST' }, r => r.resume()).end()`
}

/** The Node binary of each major, the installed command and its working and home folder. */
export type StartupContext = {
  bench: Bench
  nodes: Record<22 | 24, string>
  command: InstalledCommand
  folder: string
}

/** The action and the command run a whole scan to its verdict; the bare processes only send the start. */
export async function startupOf(
  context: StartupContext,
  { starter, node }: (typeof STARTUP_PROCESSES)[number]
): Promise<StartupSample> {
  const { bench, folder } = context
  const webhook = newTarget(bench, `${starter}-${node}`, { runningMs: 0 })
  const apiUrl = bench.simulator.url
  let spawnedAt: number
  if (starter === 'action') {
    ;({ spawnedAt } = await runTheAction({ apiUrl, webhook }))
  } else {
    const ended =
      starter === 'command'
        ? await runCommand(context.command, context.nodes[node], ['scan'], folder, {
            CRASHTEST_WEBHOOK: webhook,
            CRASHTEST_API_URL: apiUrl,
            CRASHTEST_POLL_INTERVAL: '1'
          })
        : await runProcess(context.nodes[node], ['-e', BARE_SCRIPTS[starter](`${apiUrl}/${webhook}`)], {
            env: { PATH: process.env.PATH ?? '' }
          })
    if (ended.code !== 0 && !(starter === 'command' && ended.code === 1)) {
      throw new Error(
        `${starter} on Node ${node} ended with exit code ${ended.code}:\n${ended.stdout}${ended.stderr}`
      )
    }
    spawnedAt = ended.spawnedAt
  }
  const first = requestsOf(bench.simulator, webhook)[0]
  if (!first) throw new Error(`${starter} on Node ${node}: no request reached the simulator`)
  return { starter, node, startupMs: first.at - spawnedAt }
}

export async function startup(context: StartupContext, repetitions: number): Promise<StartupSample[]> {
  const samples: StartupSample[] = []
  for (const [process] of turns(STARTUP_PROCESSES, repetitions))
    samples.push(await startupOf(context, process))
  return samples
}

export type Processor = 'ours' | 'fast-xml-parser' | 'xml2js'

export interface ProcessingSample {
  processor: Processor
  testcases: number
  /** reports the step read at once (the action), each of `testcases` testcases and `bytes` bytes */
  reports: number
  bytes: number
  timeMs: number
  peakRssBytes: number
  /** from the first report request to the last, when the step read several */
  spreadMs?: number
}

/**
 * The action end to end against the simulator serving big reports, from its (first) report request to the
 * end of its step (the download read by the streaming parser as it arrives, verdict, outputs, summary,
 * annotations, SARIF), against whole-document parsers reading the first report from disk. With several
 * reports, the targets' scans end together, so that the reports arrive at once.
 */
export async function processing(
  bench: Bench,
  plan: { sizes: { testcases: number; reports: number; ours: number; whole: number }[]; folder: string }
): Promise<ProcessingSample[]> {
  const samples: ProcessingSample[] = []
  for (const { testcases, reports, ours, whole } of plan.sizes) {
    const files: ReportShape[] = []
    for (let index = 1; index <= reports; index++) {
      files.push(await writeJunitReport(join(plan.folder, `report-${index}.xml`), testcases, `site${index}`))
    }
    const { bytes } = files[0]!
    for (let round = 0; round < Math.max(ours, whole); round++) {
      for (const processor of ['ours', 'fast-xml-parser', 'xml2js'] as const) {
        if (round >= (processor === 'ours' ? ours : whole)) continue
        const measured =
          processor === 'ours'
            ? await actionOnReports(bench, files, reports > 1 ? 2000 : 0)
            : await processWhole(processor, files[0]!)
        samples.push({ processor, testcases, reports, bytes, ...measured })
        bench.log(`  ${reports} × ${testcases} testcases, ${processor}: ${measured.timeMs} ms`)
      }
    }
    await Promise.all(files.map(file => rm(file.path)))
  }
  return samples
}

/**
 * One step of the action on targets whose scans end together and whose reports are `files`, with
 * `upload-artifact: false` and SARIF written: from the first report request to the end of the step,
 * how far apart the report requests came, and the step's peak RSS.
 */
async function actionOnReports(bench: Bench, files: ReportShape[], scanMs: number) {
  const targets = files.map((file, index) => ({
    name: `site${index + 1}`,
    webhook: newTarget(bench, 'reports', { queuedMs: 0, runningMs: scanMs, reportFile: file.path })
  }))
  const rssFile = join(dirname(files[0]!.path), 'action.rss')
  const { run, closedAt } = await runTheAction({
    apiUrl: bench.simulator.url,
    webhook: webhookInput(targets),
    inputs: { 'poll-interval': '1', 'sarif-path': 'crashtest.sarif' },
    env: rssProbe(rssFile)
  })
  const expected = files.reduce((total, file) => total + file.findings, 0)
  if (run.outputs.findings !== String(expected)) {
    throw new Error(`the action counted ${run.outputs.findings} findings in reports of ${expected}`)
  }
  const reportsAt = targets.map(target => reportRequestAt(bench, target.webhook))
  return {
    timeMs: closedAt - Math.min(...reportsAt),
    peakRssBytes: peakRss(rssFile),
    ...(files.length > 1 ? { spreadMs: Math.max(...reportsAt) - Math.min(...reportsAt) } : {})
  }
}

/** scripts/bench/whole-document.mjs, timed from its parser loaded to its end; throws unless it counted right. */
async function processWhole(processor: Processor, shape: ReportShape) {
  const rssFile = `${shape.path}.rss`
  let readyAt = 0
  const ended = await runProcess(process.execPath, [WHOLE_DOCUMENT, processor, shape.path], {
    env: { PATH: process.env.PATH ?? '', ...rssProbe(rssFile) },
    onStdout: (text, at) => void (readyAt ||= text.startsWith('ready') ? at : 0)
  })
  const expected = JSON.stringify({ testcases: shape.testcases, failures: shape.failures })
  if (ended.stdout.trim().split('\n').at(-1) !== expected) {
    throw new Error(
      `${processor} did not count ${expected} (exit ${ended.code}):\n${ended.stdout}${ended.stderr}`
    )
  }
  return { timeMs: ended.closedAt - readyAt, peakRssBytes: peakRss(rssFile) }
}

export type Way = 'one-step' | 'steps-in-a-row' | 'matrix'

/** A step of the action, on a runner: the matrix gives each leg one of its own. */
export type StepRun = Timed & { runner: number }
export type WaySample = { way: Way; steps: StepRun[] }
/** Scans `factor` times shorter than the scale they stand for, each polled every `intervalMs`. */
export type SeveralPlan = { scanLengthsMs: number[]; intervalMs: number; factor: number }

/** From the first step's start to the last step's end. */
export function wallTime(steps: readonly Timed[]): number {
  return Math.max(...steps.map(s => s.closedAt)) - Math.min(...steps.map(s => s.spawnedAt))
}

/** How long runners were held, summed: each from its first step's start to its last step's end. */
export function runnerTime(steps: readonly StepRun[]): number {
  const runners = [...new Set(steps.map(s => s.runner))]
  return runners.reduce((total, runner) => total + wallTime(steps.filter(s => s.runner === runner)), 0)
}

/** `NAME: WEBHOOK` lines for several targets, the webhook alone for one. */
function webhookInput(targets: { name: string; webhook: string }[]): string {
  return targets.length === 1 ? targets[0]!.webhook : targets.map(t => `${t.name}: ${t.webhook}`).join('\n')
}

/** The plan's scans each way in turn, with the action's defaults (reports uploaded as an artifact). */
export async function severalTargets(
  bench: Bench,
  plan: SeveralPlan,
  ways: readonly Way[]
): Promise<WaySample[]> {
  const samples: WaySample[] = []
  for (const way of ways) {
    const targets = plan.scanLengthsMs.map((scanMs, index) => ({
      name: `target${String(index + 1).padStart(2, '0')}`,
      webhook: newTarget(bench, `several-${way}`, { queuedMs: 0, runningMs: scanMs })
    }))
    const step = async (of: typeof targets, runner: number): Promise<StepRun> => {
      const { spawnedAt, closedAt } = await runTheAction({
        apiUrl: bench.simulator.url,
        webhook: webhookInput(of),
        inputs: { 'poll-interval': String(plan.intervalMs / 1000) },
        artifactService: bench.artifactService
      })
      return { runner, spawnedAt, closedAt }
    }
    let steps: StepRun[] = []
    if (way === 'one-step') steps = [await step(targets, 0)]
    else if (way === 'matrix')
      steps = await Promise.all(targets.map((target, index) => step([target], index)))
    else for (const target of targets) steps.push(await step([target], 0))
    samples.push({ way, steps })
    bench.log(`  ${way}: wall ${wallTime(steps)} ms, runner time ${runnerTime(steps)} ms`)
  }
  return samples
}
