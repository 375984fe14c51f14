// docs/benchmarks.md from one run's measurements. Pure: every number on the page comes from `results`;
// the words say only what was measured and how, never why a number came out as it did.
import {
  expectedOverhead,
  minimumRequests,
  runnerTime,
  wallTime,
  type OverheadPlan,
  type OverheadSample,
  type ProcessingSample,
  type SeveralPlan,
  type StartupSample,
  type Tool,
  type Way,
  type WaySample
} from './measure.js'
import type { PackageSize } from './processes.js'

type OverheadResults = OverheadPlan & { samples: OverheadSample[] }

export interface Results {
  quick: boolean
  /** what the run ran on, as rows of a two-column table */
  machine: { date: string; rows: [string, string][] }
  durationMs: number
  bundle: { action: number; command: number }
  /** `git archive` of HEAD, gzipped: what a runner downloads for every job that uses the action */
  download: { bytes: number; distBytes: number; commit: string }
  package: PackageSize & { tarballName: string }
  sameInterval: OverheadResults
  defaults: OverheadResults
  startup: { repetitions: number; samples: StartupSample[] }
  processing: ProcessingSample[]
  several: SeveralPlan & { ways: WaySample[] }
}

/** The limits the project sets itself. */
export const TARGETS = {
  installedBytes: 3 * 2 ** 20,
  downloadBytes: 2e6,
  peakRssBytes: 150e6,
  bigReport: 1e6
}

const TOOLS: Record<Tool, string> = {
  recipe: 'documented shell recipe (curl + jq)',
  ours: 'this action, defaults (summary, annotations, artifact upload)',
  'ours-report-only': 'this action, `upload-artifact: false`'
}
const STARTERS: Record<StartupSample['starter'], string> = {
  action: 'this action (dist/index.js, runner environment)',
  command: 'the command (`crashtest-dast scan`, installed package)',
  'bare-fetch': 'bare Node: `fetch(url, {method: "POST"})`',
  'bare-http': 'bare Node: `http.request(url, {method: "POST"})`'
}
const PROCESSORS: Record<ProcessingSample['processor'], string> = {
  ours: 'this action (read while it downloads, saxes)',
  'fast-xml-parser': 'fast-xml-parser, whole document',
  xml2js: 'xml2js, whole document (as dorny/test-reporter reads JUnit)'
}
const WAYS: Record<Way, (n: number) => string> = {
  'one-step': n => `one step, the ${n} targets as \`NAME: WEBHOOK\` lines`,
  'steps-in-a-row': n => `${n} steps in a row, one target each`,
  matrix: n => `a matrix of ${n} legs, one target each`
}

export function renderBenchmarks(results: Results): string {
  return [
    '# Benchmarks',
    `Measured by \`npm run bench\` (scripts/bench/) on ${results.machine.date} in ${minutes(results.durationMs)}` +
      `${results.quick ? ', in **quick mode** (fewer runs, smaller reports, fewer and shorter scans)' : ''}. ` +
      'Every number comes from that one run, against the simulator on 127.0.0.1; scripts/bench/measure.ts ' +
      'says how each is taken. Peak RSS is the kernel’s `ru_maxrss`; kB and MB are 10³ and 10⁶ bytes, MiB 2²⁰.',
    '## Machine',
    table(' | ', results.machine.rows),
    '## Targets',
    table('Target | Measured | Met', targets(results)),
    overhead(results),
    startup(results),
    processing(results),
    size(results),
    several(results)
  ].join('\n\n')
}

function targets(results: Results): string[][] {
  const same = results.sameInterval.samples
  const recipe = expected(same, 'recipe', 1)
  const big = results.processing.filter(s => s.testcases === TARGETS.bigReport && s.reports === 1)
  const time = (processor: string): number => timeOf(big.filter(s => s.processor === processor))
  const peak = Math.max(...big.filter(s => s.processor === 'ours').map(s => s.peakRssBytes))
  const { installedBytes } = results.package
  const { bytes } = results.download
  const row = (target: string, measured: string, met: boolean, known = true): string[] =>
    known ? [target, measured, met ? 'yes' : '**no**'] : [target, '–', 'not measured']
  return [
    ...(['ours-report-only', 'ours'] as const).map(tool =>
      row(
        `Expected overhead below the recipe's at the same interval: ${TOOLS[tool]}`,
        `${ms(expected(same, tool, 1))} vs ${ms(recipe)}`,
        expected(same, tool, 1) < recipe
      )
    ),
    row(`Installed package at most 3 MiB`, mib(installedBytes, 2), installedBytes <= TARGETS.installedBytes),
    row(
      `Repository download (\`git archive\`, gzipped) under 2 MB`,
      megabytes(bytes),
      bytes < TARGETS.downloadBytes
    ),
    row(`1M testcases: peak RSS under 150 MB`, mb(peak), peak < TARGETS.peakRssBytes, big.length > 0),
    ...(['fast-xml-parser', 'xml2js'] as const).map(whole =>
      row(
        `1M testcases: faster than ${PROCESSORS[whole]}`,
        `${seconds(time('ours'))} vs ${seconds(time(whole))}`,
        time('ours') < time(whole),
        big.length > 0
      )
    )
  ]
}

function overheadTable({ samples, factor }: OverheadResults): string {
  const recipe = expected(samples, 'recipe', factor)
  const rows = (Object.keys(TOOLS) as Tool[]).flatMap(tool => {
    const runs = samples.filter(s => s.tool === tool)
    if (runs.length === 0) return []
    const overheads = runs.map(s => s.overheadMs)
    const mine = expected(samples, tool, factor)
    const interval = runs[0]!.intervalMs
    return [
      [
        TOOLS[tool],
        (factor === 1 ? '' : `${seconds(interval * factor, 0)} → `) + seconds(interval),
        String(runs.length),
        `${ms(median(overheads))} (${ms(Math.min(...overheads))} – ${ms(Math.max(...overheads))})`,
        ms(median(runs.map(s => s.pollSpacingMs))),
        ms(median(runs.map(s => s.afterEndMs))),
        `**${factor === 1 ? ms(mine) : seconds(mine, 1)}**`,
        `×${(mine / recipe).toFixed(2)}`,
        `${sum(runs.map(s => s.requests))} (${sum(runs.map(s => minimumRequests(s.scanMs, s.intervalMs)))})`
      ]
    ]
  })
  return table(
    'Tool | Poll interval | Scans | Measured overhead: median (range) | Poll spacing | ' +
      'From the poll that saw the end to the end of the step | Expected overhead | vs recipe | ' +
      'Requests sent (fewest that can see the end)',
    rows
  )
}

function overhead({ sameInterval: same, defaults }: Results): string {
  return [
    '## 1. Overhead',
    'Overhead: from the start request, as the simulator recorded it, to the end of the step, minus the scan. ' +
      '**Expected overhead**: half the median poll spacing plus the median time from the poll that saw the ' +
      'end to the end of the step: what a tool adds to a scan of unknown length. The simulator serves HTTPS. ' +
      'The fewest requests that can see a scan end: one start, ⌈scan ÷ interval⌉ status requests, one report.',
    `### Same interval: both polling every ${seconds(same.tools.recipe!)}`,
    `Scans of ${same.scanLengthsMs.map(l => seconds(l)).join(', ')}, the tools taking turns going first.`,
    overheadTable(same),
    `### Each tool's default interval, scaled down ${defaults.factor}×`,
    `Scans of ${defaults.scanLengthsMs.map(l => seconds(l, 0)).join(', ')}, every duration divided by ` +
      `${defaults.factor}; the expected overhead is taken back to full scale (the interval scales, what each ` +
      'poll and the end cost does not).',
    overheadTable(defaults)
  ].join('\n\n')
}

function startup(results: Results): string {
  const { samples, repetitions } = results.startup
  const byProcess = groups(samples, s => `${s.starter} ${s.node}`)
  const medianOf = (key: string): number => median(new Map(byProcess).get(key)?.map(s => s.startupMs) ?? [])
  const rows = byProcess.map(([, runs]) => {
    const { starter, node } = runs[0]!
    const values = runs.map(s => s.startupMs)
    const above = median(values) - medianOf(`bare-http ${node}`)
    return [
      STARTERS[starter],
      String(node),
      String(values.length),
      ms(median(values)),
      `${ms(Math.min(...values))} – ${ms(Math.max(...values))}`,
      starter === 'bare-http' ? '' : `${above < 0 ? '−' : '+'}${ms(Math.abs(above))}`
    ]
  })
  return [
    '## 2. Start-up',
    `From right after \`spawn()\` returned to the arrival of the first request at the simulator; ${repetitions} ` +
      'runs of each, interleaved. The command runs through its shebang with the Node of its row first on PATH.',
    table('Process | Node | Runs | Median | Range | Above bare `http.request` on the same Node', rows)
  ].join('\n\n')
}

function processing(results: Results): string {
  const rows: string[][] = []
  const oursOnOne = (testcases: number): ProcessingSample[] =>
    results.processing.filter(s => s.processor === 'ours' && s.reports === 1 && s.testcases === testcases)
  for (const [, runs] of groups(results.processing, s => `${s.testcases} ${s.reports} ${s.processor}`)) {
    const { processor, testcases, reports, bytes } = runs[0]!
    const rss = Math.max(...runs.map(s => s.peakRssBytes))
    const base = processor === 'ours' && reports === 1 ? [] : oursOnOne(testcases)
    const spread = runs.map(s => s.spreadMs ?? 0)
    rows.push([
      processor === 'ours'
        ? `${reports === 1 ? '' : `${reports} × `}${testcases.toLocaleString('en-US')}`
        : '',
      processor === 'ours' ? mib(reports * bytes) : '',
      reports === 1
        ? PROCESSORS[processor]
        : `this action, the ${reports} reports at once (asked for within ${ms(median(spread))})`,
      String(runs.length),
      seconds(timeOf(runs)),
      mb(rss),
      base.length > 0 ? `×${(timeOf(runs) / timeOf(base)).toFixed(1)}` : '',
      base.length > 0 ? `×${(rss / Math.max(...base.map(s => s.peakRssBytes))).toFixed(1)}` : ''
    ])
  }
  return [
    '## 3. Report processing',
    'The action (`upload-artifact: false`, SARIF written) from its first report request to the end of its ' +
      'step; a whole-document parser reading the file from disk, from its parser loaded to its end. Time is ' +
      'the median, peak RSS the highest of the runs.',
    table(
      'Testcases | Reports | Tool | Runs | Time | Peak RSS | Time vs this action on one report | RSS vs this action on one report',
      rows
    )
  ].join('\n\n')
}

/** `items` grouped by `key`, in the order each key first appears. */
function groups<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const grouped = new Map<string, T[]>()
  for (const item of items) grouped.set(key(item), [...(grouped.get(key(item)) ?? []), item])
  return [...grouped]
}

function size(results: Results): string {
  const { bundle, download, package: pkg } = results
  return [
    '## 4. Size',
    'kB are 10³ bytes, MiB 2²⁰ bytes; the installed size sums the sizes of the files.',
    table('What | Size', [
      ['the action, `dist/index.js`', kb(bundle.action)],
      ['the command, `dist/cli/index.js`', kb(bundle.command)],
      [
        `the repository as a runner downloads it (\`git archive\` of ${download.commit.slice(0, 12)}, gzipped)`,
        `${kb(download.bytes)}, \`dist/\` ${kb(download.distBytes)}`
      ],
      [`the package, packed (\`${pkg.tarballName}\`)`, kb(pkg.tarballBytes)],
      [
        `the package, installed: ${pkg.files.length} files; packages installed: ${pkg.installedPackages.join(', ')}`,
        `**${kb(pkg.installedBytes)} (${mib(pkg.installedBytes, 2)})**`
      ]
    ]),
    table(
      'Installed file | Bytes',
      pkg.files.map(file => [`\`${file.path}\``, file.bytes.toLocaleString('en-US')])
    )
  ].join('\n\n')
}

function several(results: Results): string {
  const { ways, scanLengthsMs, intervalMs, factor } = results.several
  const n = scanLengthsMs.length
  const one = ways.find(w => w.way === 'one-step')?.steps
  const rows = ways.map(({ way, steps }) => [
    WAYS[way](n),
    String(steps.length),
    String(new Set(steps.map(s => s.runner)).size),
    seconds(wallTime(steps)),
    seconds(runnerTime(steps)),
    one ? `×${(wallTime(steps) / wallTime(one)).toFixed(2)}` : '',
    one ? `×${(runnerTime(steps) / runnerTime(one)).toFixed(2)}` : ''
  ])
  return [
    '## 5. Several targets',
    `${n} scans of ${scanLengthsMs.map(l => seconds(l, 0)).join(', ')}, polled every ${seconds(intervalMs, 0)} ` +
      `(the action's default scale, ${factor}× shorter), with the action's defaults. **Runner time**: how long ` +
      'runners were held, summed. The matrix’s legs ran on this machine’s cores at once.',
    table(
      'Way | Steps | Runners | Wall time | Runner time | Wall time vs one step | Runner time vs one step',
      rows
    )
  ].join('\n\n')
}

function expected(samples: OverheadSample[], tool: Tool, factor: number): number {
  return median(samples.filter(s => s.tool === tool).map(s => expectedOverhead(s, factor)))
}

function timeOf(samples: ProcessingSample[]): number {
  return median(samples.map(s => s.timeMs))
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0)
}

/** A Markdown table; `header` names the columns, separated by ` | `. */
function table(header: string, rows: string[][]): string {
  const columns = header.split('|').map(name => name.trim())
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(columns), line(columns.map(() => '---')), ...rows.map(line)].join('\n')
}

const finite = (format: (value: number) => string) => (value: number) =>
  Number.isFinite(value) ? format(value) : '–'
const ms = finite(value => `${Math.round(value)} ms`)
const mb = finite(value => `${Math.round(value / 1e6)} MB`)
const kb = (value: number): string => `${Math.round(value / 1000)} kB`
const megabytes = (value: number): string => `${(value / 1e6).toFixed(2)} MB`
const mib = (value: number, digits = 1): string => `${(value / 2 ** 20).toFixed(digits)} MiB`
const seconds = (value: number, digits = 2): string =>
  Number.isFinite(value) ? `${(value / 1000).toFixed(digits)} s` : '–'
const minutes = (value: number): string => {
  const total = Math.round(value / 1000)
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
