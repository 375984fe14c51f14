// Several targets: scans of different lengths run three ways, the bundled action each time, against the
// simulator: as `NAME: WEBHOOK` lines of one step, as one step per target one after another, and as the
// legs of a matrix (one process per target, all started at once, each standing for a runner of its own).
// Then the peak RSS of one step whose targets' big reports all arrive at once, beside one target's.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ActionRun } from '../../simulator/runner.js'
import { writeJunitReport, type ReportShape } from './junit-file.js'
import { expectVerdict, freshWebhook, requestsOf, RSS_PROBE, runOurs, type OursRun } from './measure.js'
import type { Bench } from './overhead.js'
import { sarifInput } from './processing.js'

export type Way = 'one-step' | 'steps-in-a-row' | 'matrix'

export const WAYS: readonly Way[] = ['one-step', 'steps-in-a-row', 'matrix']

export interface SeveralPlan {
  /** the length of each target's scan as run, one per target */
  scanLengthsMs: number[]
  /** the poll interval of every run (the action takes whole seconds, 1 at least) */
  intervalMs: number
  /** the run is this much shorter than the real scale it stands for */
  factor: number
}

/** One process of the bundled action: a step, on the runner of that number. */
export interface StepRun {
  runner: number
  /** the scan lengths of its targets, in the order of the plan */
  scanMs: number[]
  /** right after spawn() returned, and when its output closed */
  spawnedAt: number
  closedAt: number
}

export interface WaySample {
  way: Way
  steps: StepRun[]
}

/** From the first step's start to the last step's end. */
export function wallTime(steps: readonly StepRun[]): number {
  return Math.max(...steps.map(s => s.closedAt)) - Math.min(...steps.map(s => s.spawnedAt))
}

/**
 * How long runners were held, summed over the runners: each from the start of its first step to the end
 * of its last (a job holds its runner between its steps too).
 */
export function runnerTime(steps: readonly StepRun[]): number {
  let total = 0
  for (const runner of new Set(steps.map(s => s.runner))) {
    total += wallTime(steps.filter(s => s.runner === runner))
  }
  return total
}

/** The plan's scans, each way in turn; a target of its own (a fresh webhook) for every scan. */
export async function severalTargets(
  bench: Bench,
  plan: SeveralPlan,
  ways: readonly Way[] = WAYS
): Promise<WaySample[]> {
  const samples: WaySample[] = []
  for (const way of ways) {
    const targets = plan.scanLengthsMs.map((scanMs, index) => {
      const webhook = freshWebhook(`several-${way}`)
      bench.simulator.addTarget(webhook, { queuedMs: 0, runningMs: scanMs })
      return { name: `target${String(index + 1).padStart(2, '0')}`, webhook, scanMs }
    })
    const poll = { 'poll-interval': String(plan.intervalMs / 1000) }
    const step = async (of: typeof targets, runner: number): Promise<StepRun> => {
      const webhook = of.length === 1 ? of[0]!.webhook : of.map(t => `${t.name}: ${t.webhook}`).join('\n')
      const run = await runOurs({
        simulator: bench.simulator,
        webhook,
        inputs: poll,
        artifactService: bench.artifactService
      })
      try {
        checkStep(bench, run, of)
      } finally {
        removeWorkspace(run.run)
      }
      return { runner, scanMs: of.map(t => t.scanMs), spawnedAt: run.spawnedAt, closedAt: run.closedAt }
    }
    let steps: StepRun[]
    if (way === 'one-step') {
      steps = [await step(targets, 0)]
    } else if (way === 'steps-in-a-row') {
      steps = []
      for (const target of targets) steps.push(await step([target], 0))
    } else {
      steps = await Promise.all(targets.map((target, index) => step([target], index)))
    }
    samples.push({ way, steps })
    bench.log(
      `  ${way.padEnd(15)} ${steps.length} step${steps.length === 1 ? '' : 's'}: wall ${wallTime(steps)} ms, ` +
        `runner time ${runnerTime(steps)} ms`
    )
  }
  return samples
}

/** Throws unless every target of the step was started once, reached a verdict and has its report. */
function checkStep(bench: Bench, { run }: OursRun, targets: { name: string; webhook: string }[]): void {
  expectVerdict(run, `the step of ${targets.map(t => t.name).join(', ')}`)
  for (const target of targets) {
    const starts = requestsOf(bench.simulator, target.webhook).filter(r => r.method === 'POST')
    if (starts.length !== 1) throw new Error(`${target.name}: ${starts.length} start requests instead of 1`)
  }
  if (targets.length === 1) return
  const outputs = JSON.parse(run.outputs.targets ?? '[]') as { name: string; result: string }[]
  const judged = outputs.filter(o => o.result === 'passed' || o.result === 'failed').map(o => o.name)
  if (judged.join() !== targets.map(t => t.name).join()) {
    throw new Error(
      `the step judged ${judged.join(', ') || 'no target'} of ${targets.length}:\n${run.stdout}`
    )
  }
  for (const target of targets) {
    const report = join(run.workspace, `crashtest-report-${target.name}.xml`)
    if (!existsSync(report)) throw new Error(`the step left no ${report}`)
  }
}

export interface MemoryPlan {
  /** how many targets end at once in the measured step */
  targets: number
  testcases: number
  /** every scan's length: the same for all, so that they end together */
  scanMs: number
  repetitions: number
  /** where the report files are written (and removed) */
  folder: string
}

export interface MemorySample {
  /** targets in the step, each with a report of its own */
  targets: number
  testcases: number
  /** bytes of each report */
  reportBytes: number
  peakRssKiB: number
  /** from the first report request of the step to the last */
  reportSpreadMs: number
  /** from the first report request to the end of the step */
  afterReportsMs: number
}

/** One target alone and `plan.targets` at once, taking turns, each `plan.repetitions` times. */
export async function severalReports(bench: Bench, plan: MemoryPlan): Promise<MemorySample[]> {
  const files: { path: string; shape: ReportShape }[] = []
  try {
    for (let index = 1; index <= plan.targets; index++) {
      const path = join(plan.folder, `several-${index}.xml`)
      files.push({ path, shape: await writeJunitReport(path, plan.testcases, `site${index}`) })
    }
    const samples: MemorySample[] = []
    for (let round = 0; round < plan.repetitions; round++) {
      for (const count of round % 2 === 0 ? [1, plan.targets] : [plan.targets, 1]) {
        const sample = await reportsAtOnce(bench, plan, files.slice(0, count))
        samples.push(sample)
        bench.log(
          `  ${count} × ${plan.testcases} testcases at once: peak RSS ${Math.round(sample.peakRssKiB / 1024)} MiB, ` +
            `reports asked for within ${sample.reportSpreadMs} ms, step ended ${sample.afterReportsMs} ms after the first`
        )
      }
    }
    return samples
  } finally {
    for (const file of files) rmSync(file.path, { force: true })
  }
}

async function reportsAtOnce(
  bench: Bench,
  plan: MemoryPlan,
  files: { path: string; shape: ReportShape }[]
): Promise<MemorySample> {
  const targets = files.map((file, index) => {
    const webhook = freshWebhook('several-reports')
    bench.simulator.addTarget(webhook, { queuedMs: 0, runningMs: plan.scanMs, reportFile: file.path })
    return { name: `site${index + 1}`, webhook, shape: file.shape }
  })
  const rssFile = join(plan.folder, `several-${targets[0]!.webhook}.rss`)
  const webhook =
    targets.length === 1 ? targets[0]!.webhook : targets.map(t => `${t.name}: ${t.webhook}`).join('\n')
  const { run, closedAt } = await runOurs({
    simulator: bench.simulator,
    webhook,
    inputs: { 'poll-interval': '1', ...sarifInput() },
    env: { NODE_OPTIONS: `--import=${pathToFileURL(RSS_PROBE).href}`, BENCH_RSS_FILE: rssFile },
    timeoutMs: 600_000
  })
  try {
    expectVerdict(run, `the step of ${targets.length} reports of ${plan.testcases} testcases`)
    const expected = targets.reduce((total, t) => total + t.shape.findings, 0)
    if (run.outputs.findings !== String(expected)) {
      throw new Error(`the step counted ${run.outputs.findings} findings in reports of ${expected}`)
    }
    const reportsAt = targets.map(target => {
      const asked = requestsOf(bench.simulator, target.webhook).find(r => r.path.endsWith('/report/junit'))
      if (!asked) throw new Error(`${target.name}: the action never asked for its report`)
      return asked.at
    })
    if (!existsSync(rssFile)) throw new Error('the action wrote no peak RSS')
    const peakRssKiB = Number(readFileSync(rssFile, 'utf8'))
    return {
      targets: targets.length,
      testcases: plan.testcases,
      reportBytes: statSync(files[0]!.path).size,
      peakRssKiB,
      reportSpreadMs: Math.max(...reportsAt) - Math.min(...reportsAt),
      afterReportsMs: closedAt - Math.min(...reportsAt)
    }
  } finally {
    rmSync(rssFile, { force: true })
    removeWorkspace(run)
  }
}

/** The runner emulation leaves the workspace, reports and all, for tests to read; the bench has read it. */
function removeWorkspace(run: ActionRun): void {
  const base = dirname(run.workspace)
  if (basename(base).startsWith('crashtest-e2e-')) rmSync(base, { recursive: true, force: true })
}
