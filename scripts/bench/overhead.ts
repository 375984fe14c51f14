// Overhead: what a tool adds to the scan, from the start request (as the simulator recorded it) to the end
// of the step, minus the scan's own length. Also the requests each scan took.
import type { ArtifactService } from '../../simulator/artifact-service.js'
import type { Simulator } from '../../simulator/webhook-api.js'
import { freshWebhook, scanWithOurs, scanWithRecipe, type RequestCounts, type ScanRun } from './measure.js'

export type Tool = 'recipe' | 'ours' | 'ours-report-only'

export const TOOL_NAMES: Record<Tool, string> = {
  recipe: 'documented shell recipe (curl + jq)',
  ours: 'this action, defaults (summary, annotations, artifact upload)',
  'ours-report-only': 'this action, `upload-artifact: false`'
}

export interface OverheadSample {
  tool: Tool
  scanMs: number
  intervalMs: number
  /** from the start request to the end of the step, minus the scan */
  overheadMs: number
  /** mean time between two status requests */
  pollSpacingMs: number
  /** from the status request that saw the scan finished to the end of the step */
  afterEndMs: number
  requests: RequestCounts
}

/**
 * What a tool adds to a scan of unknown length. Where a scan's end falls between two polls is a matter
 * of chance, so the wait for the poll that sees it is, on average, half the spacing of the polls; then
 * comes what the tool does until its step ends. At `fullIntervalMs` (when the run was scaled down) the
 * spacing is that interval plus what each poll itself took, which does not scale.
 */
export function expectedOverhead(sample: OverheadSample, fullIntervalMs = sample.intervalMs): number {
  const perPoll = sample.pollSpacingMs - sample.intervalMs
  return (fullIntervalMs + perPoll) / 2 + sample.afterEndMs
}

export interface Bench {
  simulator: Simulator
  artifactService: ArtifactService
  log: (line: string) => void
  /** The certificate file of a simulator that serves HTTPS, for both tools to trust. */
  caFile?: string
}

/**
 * One scan of `scanMs` by `tool` polling every `intervalMs`. The target answers the status under
 * `data.status.code`, where the recipe reads it (the action reads either place).
 */
export async function overheadOf(
  bench: Bench,
  tool: Tool,
  scanMs: number,
  intervalMs: number
): Promise<OverheadSample> {
  const webhook = freshWebhook(tool)
  bench.simulator.addTarget(webhook, { runningMs: scanMs, statusKey: 'code' })
  let run: ScanRun
  if (tool === 'recipe') {
    const trust: Record<string, string> = bench.caFile ? { CURL_CA_BUNDLE: bench.caFile } : {}
    run = await scanWithRecipe(bench.simulator, webhook, intervalMs, trust)
  } else {
    run = await scanWithOurs({
      simulator: bench.simulator,
      webhook,
      inputs: { 'poll-interval': String(intervalMs / 1000) },
      artifactService: tool === 'ours' ? bench.artifactService : undefined,
      env: bench.caFile ? { NODE_EXTRA_CA_CERTS: bench.caFile } : {}
    })
  }
  const polls = run.statusAt
  const sawEnd = polls.find(at => at >= run.startedAt + scanMs)
  if (sawEnd === undefined || polls.length < 2) {
    throw new Error(`${tool}: no status request after the end of the scan (${polls.length} in all)`)
  }
  const sample: OverheadSample = {
    tool,
    scanMs,
    intervalMs,
    overheadMs: run.closedAt - run.startedAt - scanMs,
    pollSpacingMs: (polls.at(-1)! - polls[0]!) / (polls.length - 1),
    afterEndMs: run.closedAt - sawEnd,
    requests: run.requests
  }
  bench.log(
    `  ${tool.padEnd(16)} scan ${seconds(scanMs)}, every ${seconds(intervalMs)}: overhead ${sample.overheadMs} ms ` +
      `(polls every ${Math.round(sample.pollSpacingMs)} ms, ${sample.afterEndMs} ms after the end was seen)`
  )
  return sample
}

/**
 * Every tool at one interval, once for each of `repetitions` scan lengths spread evenly over one interval
 * after `baseScanMs`. A single length would favour whichever tool's polling happens to fall just after
 * it; spread lengths give each tool its average wait for the poll that sees the end. The tools take
 * turns going first.
 */
export async function sameInterval(
  bench: Bench,
  options: { repetitions: number; baseScanMs: number; intervalMs: number }
): Promise<OverheadSample[]> {
  const tools: Tool[] = ['recipe', 'ours', 'ours-report-only']
  const samples: OverheadSample[] = []
  for (const scanMs of spreadScanLengths(options)) {
    const turn = samples.length / tools.length
    for (let index = 0; index < tools.length; index++) {
      const tool = tools[(index + turn) % tools.length]!
      samples.push(await overheadOf(bench, tool, scanMs, options.intervalMs))
    }
  }
  return samples
}

export function spreadScanLengths(options: {
  repetitions: number
  baseScanMs: number
  intervalMs: number
}): number[] {
  return Array.from({ length: options.repetitions }, (_, index) =>
    Math.round(options.baseScanMs + ((index + 0.5) / options.repetitions) * options.intervalMs)
  )
}

export interface DefaultIntervals {
  /** real scale: the action's default poll interval and the recipe's `sleep 60` */
  oursIntervalMs: number
  recipeIntervalMs: number
  /** real-scale scan lengths, spread over one recipe interval so that neither tool is favoured */
  scanLengthsMs: number[]
  /** every duration is divided by this, so that a few-minute scan runs in seconds */
  factor: number
}

/** Each tool at its own default interval, every duration scaled down by the same factor. */
export async function defaultIntervals(bench: Bench, plan: DefaultIntervals): Promise<OverheadSample[]> {
  const samples: OverheadSample[] = []
  for (const [index, scanMs] of plan.scanLengthsMs.entries()) {
    const scaled = Math.round(scanMs / plan.factor)
    const runs: [Tool, number][] = [
      ['recipe', plan.recipeIntervalMs / plan.factor],
      ['ours', plan.oursIntervalMs / plan.factor]
    ]
    if (index % 2 === 1) runs.reverse()
    for (const [tool, intervalMs] of runs) samples.push(await overheadOf(bench, tool, scaled, intervalMs))
  }
  return samples
}

/** The fewest requests that can see a scan of `scanMs` end when polling every `intervalMs`. */
export function minimumRequests(scanMs: number, intervalMs: number): number {
  return 1 + Math.ceil(scanMs / intervalMs) + 1
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 2)} s`
}
