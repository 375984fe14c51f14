// Report processing: the bundled action end to end against the simulator serving a big report, timed
// from its report request to the end of the step (the download, read by the streaming parser as it
// arrives; then judge, outputs, summary, annotations, SARIF when the action has it), against
// whole-document XML parsers reading the same file from disk. Peak RSS comes from the kernel (see rss-probe.mjs) for both.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { writeJunitReport, type ReportShape } from './junit-file.js'
import {
  expectVerdict,
  freshWebhook,
  requestsOf,
  RSS_PROBE,
  runOurs,
  runProcess,
  WHOLE_DOCUMENT
} from './measure.js'
import type { Bench } from './overhead.js'

export type Processor = 'ours' | 'fast-xml-parser' | 'xml2js'

export const PROCESSOR_NAMES: Record<Processor, string> = {
  ours: 'this action (read while it downloads, saxes)',
  'fast-xml-parser': 'fast-xml-parser, whole document',
  xml2js: 'xml2js, whole document (as dorny/test-reporter reads JUnit)'
}

export interface ProcessingSample {
  processor: Processor
  testcases: number
  bytes: number
  /** undefined when the run failed (then `failure` says how) */
  timeMs?: number
  peakRssKiB?: number
  failure?: string
}

export interface ProcessingPlan {
  sizes: { testcases: number; repetitions: Record<Processor, number> }[]
  folder: string
}

const ACTION_YML = new URL('../../action.yml', import.meta.url)

export async function processing(bench: Bench, plan: ProcessingPlan): Promise<ProcessingSample[]> {
  const samples: ProcessingSample[] = []
  for (const { testcases, repetitions } of plan.sizes) {
    const file = join(plan.folder, `report-${testcases}.xml`)
    const shape = await writeJunitReport(file, testcases)
    const bytes = statSync(file).size
    const body = readFileSync(file, 'utf8')
    bench.log(`  ${testcases} testcases (${(bytes / 1048576).toFixed(1)} MiB)`)
    const rounds = Math.max(...Object.values(repetitions))
    for (let round = 0; round < rounds; round++) {
      for (const processor of ['ours', 'fast-xml-parser', 'xml2js'] as const) {
        if (round >= repetitions[processor]) continue
        const sample =
          processor === 'ours'
            ? await processWithOurs(bench, plan.folder, body, shape)
            : await processWhole(plan.folder, processor, file, shape)
        samples.push({ ...sample, bytes })
        const measured =
          sample.failure ?? `${sample.timeMs} ms, peak RSS ${Math.round((sample.peakRssKiB ?? 0) / 1024)} MiB`
        bench.log(`    ${processor.padEnd(16)} ${measured}`)
      }
    }
    rmSync(file, { force: true })
  }
  return samples
}

async function processWithOurs(
  bench: Bench,
  folder: string,
  body: string,
  shape: ReportShape
): Promise<Omit<ProcessingSample, 'bytes'>> {
  const webhook = freshWebhook('report')
  bench.simulator.addTarget(webhook, { runningMs: 0, reportBody: body })
  const rssFile = join(folder, `${webhook}.rss`)
  const { run, closedAt } = await runOurs({
    simulator: bench.simulator,
    webhook,
    inputs: { 'poll-interval': '1', ...sarifInput() },
    env: probeEnv(rssFile),
    timeoutMs: 600_000
  })
  expectVerdict(run, `the action on ${shape.testcases} testcases`)
  if (run.outputs.findings !== String(shape.findings)) {
    throw new Error(`the action counted ${run.outputs.findings} findings in a report of ${shape.findings}`)
  }
  const reportRequest = requestsOf(bench.simulator, webhook).find(r => r.path.endsWith('/report/junit'))
  if (!reportRequest) throw new Error(`the action never asked for its report:\n${run.stdout}`)
  const timeMs = closedAt - reportRequest.at
  return { processor: 'ours', testcases: shape.testcases, timeMs, peakRssKiB: readRss(rssFile) }
}

async function processWhole(
  folder: string,
  processor: Exclude<Processor, 'ours'>,
  file: string,
  shape: ReportShape
): Promise<Omit<ProcessingSample, 'bytes'>> {
  const rssFile = join(folder, `${processor}-${shape.testcases}.rss`)
  let readyAt = 0
  const ended = await runProcess(process.execPath, [WHOLE_DOCUMENT, processor, file], {
    env: { PATH: process.env.PATH ?? '', ...probeEnv(rssFile) },
    timeoutMs: 600_000,
    onStdout: (text, at) => {
      if (!readyAt && text.startsWith('ready')) readyAt = at
    }
  })
  const base = { processor, testcases: shape.testcases }
  if (ended.code !== 0) {
    const reason = ended.stderr.match(/FATAL ERROR[^\n]*|\w*Error:[^\n]*/)?.[0] ?? `exit code ${ended.code}`
    return { ...base, failure: `failed: ${reason.trim()}`, peakRssKiB: readRss(rssFile) }
  }
  const counted = JSON.parse(ended.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>
  if (counted.testcases !== shape.testcases || counted.failures !== shape.failures) {
    throw new Error(`${processor} counted ${JSON.stringify(counted)} in a report of ${JSON.stringify(shape)}`)
  }
  return { ...base, timeMs: ended.closedAt - readyAt, peakRssKiB: readRss(rssFile) }
}

function probeEnv(rssFile: string): Record<string, string> {
  return { NODE_OPTIONS: `--import=${pathToFileURL(RSS_PROBE).href}`, BENCH_RSS_FILE: rssFile }
}

function readRss(file: string): number | undefined {
  if (!existsSync(file)) return undefined
  const kib = Number(readFileSync(file, 'utf8'))
  rmSync(file, { force: true })
  return Number.isFinite(kib) ? kib : undefined
}

/** The action writes SARIF only when asked; ask whenever this version of it has the input. */
export function sarifInput(): Record<string, string> {
  const manifest = parseYaml(readFileSync(ACTION_YML, 'utf8')) as { inputs?: Record<string, unknown> }
  return manifest.inputs && 'sarif-path' in manifest.inputs ? { 'sarif-path': 'crashtest.sarif' } : {}
}
