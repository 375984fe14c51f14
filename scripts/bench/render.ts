// docs/benchmarks.md from one run's measurements. Pure: every number on the page comes from `results`.
import { median } from './measure.js'
import {
  expectedOverhead,
  minimumRequests,
  spreadScanLengths,
  TOOL_NAMES,
  type DefaultIntervals,
  type OverheadSample,
  type Tool
} from './overhead.js'
import type { NodeMajor, PackageSize } from './command.js'
import { PROCESSOR_NAMES, type Processor, type ProcessingSample } from './processing.js'
import {
  runnerTime,
  wallTime,
  WAYS,
  type MemorySample,
  type SeveralPlan,
  type Way,
  type WaySample
} from './several.js'
import { STARTER_NAMES, STARTUP_PROCESSES, type StartupProcess, type StartupSample } from './startup.js'

export interface Machine {
  cpu: string
  cores: number
  memoryBytes: number
  os: string
  /** `node --version` of each Node major used */
  nodes: Record<NodeMajor, string>
  tools: Record<'bash' | 'curl' | 'jq' | 'openssl', string>
  date: string
  loadBefore: number[]
  loadAfter: number[]
}

export interface Results {
  quick: boolean
  /** sizes of the two bundles, in bytes: dist/index.js (the action) and dist/cli/index.js (the command) */
  bundle: { action: number; command: number }
  /** what a runner downloads for every job that uses the action: `git archive` of HEAD, gzipped, in bytes */
  download: { bytes: number; distBytes: number; commit: string }
  /** the npm package as packed and as installed into an empty prefix */
  package: PackageSize & { tarballName: string }
  machine: Machine
  sameInterval: { baseScanMs: number; intervalMs: number; repetitions: number; samples: OverheadSample[] }
  defaults: { plan: DefaultIntervals; samples: OverheadSample[] }
  startup: { repetitions: number; samples: StartupSample[] }
  processing: ProcessingSample[]
  several: { plan: SeveralPlan; samples: WaySample[]; memory: MemorySample[] }
  durationMs: number
}

/** The limits the issue sets. */
export const TARGETS = {
  installedBytes: 3 * 2 ** 20,
  downloadBytes: 2e6,
  peakRssBytes: 150e6,
  bigReportTestcases: 1_000_000
}

interface Verdict {
  target: string
  measured: string
  met: boolean | undefined
  /** what the numbers of this run say about a miss */
  whyMissed: string
}

export function renderBenchmarks(results: Results): string {
  const verdicts = judgeTargets(results)
  return [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` (scripts/bench/) on ${results.machine.date}, in ${minutes(results.durationMs)}` +
      (results.quick
        ? ' in **quick mode** (fewer runs, no 1M-testcase report, fewer and shorter scans in section 6)'
        : '') +
      '. Every number below comes from that one run; run `npm run bench` to measure again and regenerate ' +
      'this page. Everything runs on this machine: the simulator of the webhook API and the fake artifact ' +
      'service listen on 127.0.0.1; the action is the bundled `dist/index.js` run the way the runner ' +
      'runs it (simulator/runner.ts), and the command is `crashtest-dast` as npm installs it from the ' +
      'packed repository (section 5), run the way a CI shell step runs it.',
    '',
    machineSection(results.machine),
    '## Targets',
    '',
    table(
      ['Target', 'Measured', 'Met'],
      verdicts.map(v => [
        v.target,
        v.measured,
        v.met === undefined ? 'not measured' : v.met ? 'yes' : '**no**'
      ])
    ),
    '',
    ...missedNotes(verdicts),
    overheadSection(results),
    startupSection(results),
    processingSection(results),
    requestsSection(results),
    sizeSection(results),
    severalSection(results),
    leanSection(results),
    methodSection(results)
  ].join('\n')
}

function machineSection(machine: Machine): string {
  const load = (values: number[]): string => values.map(v => v.toFixed(2)).join(' / ')
  return [
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['CPU', `${machine.cpu}, ${machine.cores} cores`],
        ['Memory', `${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB`],
        ['OS', machine.os],
        ['Node 24 (runs the simulator, the action, the command and the comparisons)', machine.nodes[24]],
        ['Node 22 (runs the command and bare Node in section 2)', machine.nodes[22]],
        [
          'bash / curl / jq (run the recipe)',
          `${machine.tools.bash} / ${machine.tools.curl} / ${machine.tools.jq}`
        ],
        ['openssl (makes the HTTPS certificate)', machine.tools.openssl],
        [
          'Load average (1 / 5 / 15 min) before → after',
          `${load(machine.loadBefore)} → ${load(machine.loadAfter)}`
        ]
      ]
    ),
    '',
    'A load average above the number of cores means other work competed for the CPU during the run: the ' +
      'tools of one comparison run interleaved, so such noise hits them alike, but absolute times are then ' +
      'longer than on a quiet machine.',
    ''
  ].join('\n')
}

function judgeTargets(results: Results): Verdict[] {
  const verdicts: Verdict[] = []
  const same = results.sameInterval.samples
  const recipe = expectedMedian(same, 'recipe')
  const reportOnly = expectedMedian(same, 'ours-report-only')
  const defaults = expectedMedian(same, 'ours')
  verdicts.push({
    target:
      "Expected overhead below the recipe's at the same interval, doing the same work (the report " +
      'written: `upload-artifact: false`)',
    measured: `${ms(reportOnly)} vs ${ms(recipe)} (×${(reportOnly / recipe).toFixed(2)})`,
    met: reportOnly < recipe,
    whyMissed:
      'At the same interval the tools differ only in their own work: the recipe starts curl and jq for ' +
      'every poll, which spaces its polls wider than the interval; the action downloads, parses and judges ' +
      'the report, writes the summary and exits. In this run the action took longer after the poll that ' +
      "saw the end than the recipe's wider spacing cost it."
  })
  verdicts.push({
    target:
      "Expected overhead below the recipe's at the same interval, with the action's defaults (which also " +
      'upload the report as an artifact: work the recipe does not do)',
    measured: `${ms(defaults)} vs ${ms(recipe)} (×${(defaults / recipe).toFixed(2)})`,
    met: defaults < recipe,
    whyMissed:
      `The artifact upload (a zip and four requests to the artifact service) added ${ms(defaults - reportOnly)} ` +
      "(the difference between the action's two rows in section 1); the recipe keeps no artifact. " +
      (reportOnly < recipe ? 'Without the upload the action stays below the recipe.' : '')
  })
  const { installedBytes, tarballBytes, files } = results.package
  const largest = files[0]
  verdicts.push({
    target: `Installed package (the packed tarball installed by npm) at most ${mib(TARGETS.installedBytes, 0)}`,
    measured: `${mib(installedBytes, 2)} (${bytes(installedBytes)}; tarball ${mib(tarballBytes, 2)})`,
    met: installedBytes <= TARGETS.installedBytes,
    whyMissed:
      (largest
        ? `\`${largest.path}\` alone is ${mib(largest.bytes, 2)} of the ${mib(installedBytes, 2)} installed `
        : '') + `(${files.length} files, listed in section 5).`
  })
  const { download } = results
  verdicts.push({
    target: `Repository download (what the runner fetches for every job that uses the action) under ${TARGETS.downloadBytes / 1e6} MB`,
    measured: `${megabytes(download.bytes)} gzipped, ${megabytes(download.distBytes)} of it \`dist/\``,
    met: download.bytes < TARGETS.downloadBytes,
    whyMissed: `\`dist/\` is ${megabytes(download.distBytes)} of the ${megabytes(download.bytes)} (section 5).`
  })
  const big = results.processing.filter(s => s.testcases === TARGETS.bigReportTestcases)
  const oursBig = big.filter(s => s.processor === 'ours')
  const peak =
    oursBig.length > 0 ? Math.max(...oursBig.map(s => (s.peakRssKiB ?? Infinity) * 1024)) : undefined
  verdicts.push({
    target: `1M testcases: peak RSS under ${TARGETS.peakRssBytes / 1e6} MB`,
    measured: peak === undefined ? '–' : `${mb(peak)} (highest of ${oursBig.length} runs)`,
    met: peak === undefined ? undefined : peak < TARGETS.peakRssBytes,
    whyMissed:
      'A Node process takes some 45 MB before it reads anything, and the action loads its bundle ' +
      `(\`dist/index.js\`, ${kb(results.bundle.action)}: section 5; the artifact client only when it uploads) before its first request` +
      floorNote(results.processing) +
      '; the rest is JavaScript heap: the parser reads the report as it downloads, in 8 KiB pieces, and ' +
      'V8 collects the strings it makes of every testcase when it chooses (section 3).'
  })
  const oursTime = oursBig.length > 0 ? median(oursBig.map(s => s.timeMs ?? Infinity)) : undefined
  for (const whole of ['fast-xml-parser', 'xml2js'] as const) {
    const runs = big.filter(s => s.processor === whole)
    const theirs = runs.length > 0 ? median(runs.map(s => s.timeMs ?? Infinity)) : undefined
    verdicts.push({
      target: `1M testcases: faster than ${PROCESSOR_NAMES[whole]}`,
      measured:
        oursTime === undefined || theirs === undefined
          ? '–'
          : `${seconds(oursTime)} vs ${Number.isFinite(theirs) ? seconds(theirs) : 'failed'}`,
      met: oursTime === undefined || theirs === undefined ? undefined : oursTime < theirs,
      whyMissed:
        "The action's time includes downloading the report from the simulator, which the whole-document " +
        'parser is spared: its file is already on disk.'
    })
  }
  return verdicts
}

/** The action's peak RSS on the smallest report measured: what it takes whatever the report. */
function floorNote(samples: ProcessingSample[]): string {
  const ours = samples.filter(s => s.processor === 'ours' && s.peakRssKiB !== undefined)
  if (ours.length === 0) return ''
  const smallest = Math.min(...ours.map(s => s.testcases))
  const peak = Math.max(...ours.filter(s => s.testcases === smallest).map(s => s.peakRssKiB! * 1024))
  return `: on the report of ${smallest.toLocaleString('en-US')} testcases its peak was already ${mb(peak)}`
}

function missedNotes(verdicts: Verdict[]): string[] {
  const missed = verdicts.filter(v => v.met === false)
  if (missed.length === 0) return ['Every target measured was met in this run.', '']
  return ['**Missed in this run:**', '', ...missed.map(v => `- ${v.target}: ${v.whyMissed}`), '']
}

/** One row per tool: what was measured, its parts, and the expected overhead made of them. */
function overheadRows(
  samples: OverheadSample[],
  tools: readonly Tool[],
  fullInterval: (tool: Tool) => number | undefined
): string[][] {
  const recipe = expectedMedian(samples, 'recipe', fullInterval('recipe'))
  return tools.map(tool => {
    const runs = samples.filter(s => s.tool === tool)
    const measured = runs.map(s => s.overheadMs)
    const expected = expectedMedian(samples, tool, fullInterval(tool))
    const full = fullInterval(tool)
    return [
      TOOL_NAMES[tool],
      full === undefined
        ? seconds(runs[0]!.intervalMs)
        : `${seconds(full, 0)} → ${seconds(runs[0]!.intervalMs)}`,
      String(runs.length),
      `${ms(median(measured))} (${ms(Math.min(...measured))} – ${ms(Math.max(...measured))})`,
      ms(median(runs.map(s => s.pollSpacingMs))),
      ms(median(runs.map(s => s.afterEndMs))),
      `**${full === undefined ? ms(expected) : seconds(expected, 1)}**`,
      tool === 'recipe' ? '1' : `×${(expected / recipe).toFixed(2)}`
    ]
  })
}

const OVERHEAD_HEADER = [
  'Tool',
  'Poll interval',
  'Scans',
  'Measured overhead: median (range)',
  'Poll spacing',
  'From the poll that saw the end to the end of the step',
  'Expected overhead',
  'vs recipe'
]

function overheadSection(results: Results): string {
  const { intervalMs, repetitions, samples } = results.sameInterval
  const lengths = spreadScanLengths(results.sameInterval)
  const { plan, samples: defaultSamples } = results.defaults
  const fullDefault = (tool: Tool): number =>
    tool === 'recipe' ? plan.recipeIntervalMs : plan.oursIntervalMs
  return [
    '## 1. Overhead',
    '',
    'Overhead is the wall time from the start request, as the simulator recorded its arrival, to the end ' +
      'of the step (the process and its output closed), minus the scan time the simulator was told to ' +
      'take. It is made of two parts. First the wait from the end of the scan to the poll that sees it: ' +
      'for one scan that is a matter of where its end falls between two polls, anything from nothing to a ' +
      'whole interval, but over scans of any length it is on average half the time between two polls. ' +
      'Then what the tool does from that poll to the end of its step (the report download, and for the ' +
      'action the verdict, summary and so on). Both parts are measured in every run, from the ' +
      "simulator's record of each request and the end of the process; **expected overhead** = half the " +
      'poll spacing + the second part, the median over the runs, is what a tool adds to a scan of ' +
      'unknown length, and what the tools are compared by. The measured overheads are shown beside it: ' +
      'a median of a few such runs says more about where their ends fell than about the tools.',
    '',
    `### Same interval: both polling every ${seconds(intervalMs)}`,
    '',
    `The recipe's \`sleep 60\` is \`sleep ${intervalMs / 1000}\`, the action's \`poll-interval\` is ${intervalMs / 1000}. ` +
      `Each tool ran ${repetitions} scans, of ${lengths.map(l => seconds(l)).join(', ')} (spread over one ` +
      'interval), the tools taking turns going first. The poll spacing is the interval plus what each ' +
      'poll costs the tool beyond it: the recipe sleeps after each curl and jq have run, the action ' +
      "counts the interval from one request's start to the next. The simulator serves HTTPS here, as the " +
      "real service does (the recipe's endpoint is an `https://` URL): each of the recipe's curl calls " +
      'opens a connection with its TLS handshake, the action keeps one alive. On loopback a handshake ' +
      'costs a few milliseconds of CPU; across the internet it costs round trips as well, which this ' +
      'benchmark does not add.',
    '',
    table(
      OVERHEAD_HEADER,
      overheadRows(samples, ['recipe', 'ours', 'ours-report-only'], () => undefined)
    ),
    '',
    `### Each tool's default interval, scaled down ${plan.factor}×`,
    '',
    `The action polls every ${seconds(plan.oursIntervalMs, 0)} by default, the recipe every ` +
      `${seconds(plan.recipeIntervalMs, 0)}. Scans of a few minutes at full scale would take this ` +
      `benchmark too long, so every duration is divided by ${plan.factor}: the scans (` +
      `${plan.scanLengthsMs.map(l => seconds(l, 0)).join(', ')} become ` +
      `${plan.scanLengthsMs.map(l => seconds(Math.round(l / plan.factor))).join(', ')}) and both intervals ` +
      `(the action polls every ${seconds(plan.oursIntervalMs / plan.factor)}, the recipe every ` +
      `${seconds(plan.recipeIntervalMs / plan.factor)}). The expected overhead is then taken back to full ` +
      'scale: half of the full interval plus what each poll cost beyond the scaled one, plus the time ' +
      'from the poll that saw the end to the end of the step; the last two are real times and are not ' +
      'scaled. The measured overheads and the poll spacings are those of the scaled runs.',
    '',
    table(
      OVERHEAD_HEADER.map(h => (h === 'Expected overhead' ? 'Expected overhead, full scale' : h)),
      overheadRows(defaultSamples, ['recipe', 'ours'], fullDefault)
    ),
    ''
  ].join('\n')
}

function startupSection(results: Results): string {
  const { samples, repetitions } = results.startup
  const measured = STARTUP_PROCESSES.filter(p => samples.some(s => sameProcess(s, p)))
  const rows = measured.map(entry => {
    const values = samples.filter(s => sameProcess(s, entry)).map(s => s.startupMs)
    const bare = startupMedian(samples, { starter: 'bare-http', node: entry.node })
    return [
      STARTER_NAMES[entry.starter],
      results.machine.nodes[entry.node],
      String(values.length),
      ms(median(values)),
      `${ms(Math.min(...values))} – ${ms(Math.max(...values))}`,
      entry.starter === 'bare-http' ? '' : signedMs(median(values) - bare)
    ]
  })
  const action = startupMedian(samples, { starter: 'action', node: 24 })
  const commandOn = (node: NodeMajor): number => startupMedian(samples, { starter: 'command', node })
  const beside = (command: number): string =>
    `${ms(command)}, ${ms(Math.abs(command - action))} ${command <= action ? 'sooner' : 'later'} than the ` +
    `action (×${(command / action).toFixed(2)})`
  return [
    '## 2. Start-up',
    '',
    `From process start (right after \`spawn()\` returned) to the arrival of the first request at the ` +
      `simulator; ${repetitions} runs of each, interleaved. The action runs on Node 24, as action.yml ` +
      'declares, with the runner environment. The command is the bin of the installed package (section ' +
      '5) run as a CI shell step runs `crashtest-dast scan`: through its `#!/usr/bin/env node` shebang, ' +
      'with the Node of its row first on PATH, on each of the two majors it supports. The bare processes ' +
      'only send the start request; they give the scale, they are not a target. `fetch` is how a script ' +
      'sends it with nothing but Node; `http.request` is the transport the action and the command use ' +
      '(through @actions/http-client) without the HTTP client that fetch loads first, so the last column ' +
      'is what each process loads before its first request costs: its bundle and the Node built-ins it ' +
      'imports.',
    '',
    table(['Process', 'Node', 'Runs', 'Median', 'Range', 'Above bare `http.request` on the same Node'], rows),
    '',
    `The action's first request reached the simulator ${ms(action)} after the action started; the ` +
      `command's, on Node 24, ` +
      `${beside(commandOn(24))}, and on Node 22, ${beside(commandOn(22))}.`,
    ''
  ].join('\n')
}

function processingSection(results: Results): string {
  const sizes = [...new Set(results.processing.map(s => s.testcases))]
  const rows: string[][] = []
  for (const testcases of sizes) {
    const ofSize = results.processing.filter(s => s.testcases === testcases)
    const ours = ofSize.filter(s => s.processor === 'ours')
    const oursTime = median(ours.map(s => s.timeMs ?? NaN))
    const oursRss = Math.max(...ours.map(s => s.peakRssKiB ?? NaN))
    for (const processor of ['ours', 'fast-xml-parser', 'xml2js'] as const) {
      const runs = ofSize.filter(s => s.processor === processor)
      if (runs.length === 0) continue
      const failed = runs.find(s => s.failure)
      const time = median(runs.map(s => s.timeMs ?? NaN))
      const rss = Math.max(...runs.map(s => s.peakRssKiB ?? NaN))
      rows.push([
        processor === 'ours' ? `${testcases.toLocaleString('en-US')}` : '',
        processor === 'ours' ? mib(runs[0]!.bytes) : '',
        PROCESSOR_NAMES[processor as Processor],
        String(runs.length),
        failed ? (failed.failure ?? 'failed') : seconds(time, time < 10_000 ? 2 : 1),
        Number.isFinite(rss) ? mb(rss * 1024) : '–',
        processor === 'ours' || failed ? '' : `×${(time / oursTime).toFixed(1)}`,
        processor === 'ours' || !Number.isFinite(rss) ? '' : `×${(rss / oursRss).toFixed(1)}`
      ])
    }
  }
  return [
    '## 3. Report processing',
    '',
    'Reports in the shape the service produces (simulator/junit.ts), with the share of failures of the ' +
      `documented example report (440 of 16,553 testcases). **This action**: the bundled action end to end ` +
      'against the simulator serving the report, with its defaults except `upload-artifact: false` (an ' +
      'upload is not processing); timed from its report request, as the simulator recorded it, to the end ' +
      'of the step: the download to disk, read by the streaming parser as it arrives, then the verdict, ' +
      'outputs, job summary and annotations (and SARIF, where the action has the input). ' +
      '**Whole document**: a Node process that reads the same file into a string, parses it into one ' +
      'object tree and counts the failures (scripts/bench/whole-document.mjs), timed from the moment its ' +
      'parser is loaded to its end; it does nothing else, and its file is already on disk. Time is the ' +
      'median of the runs; peak RSS is the highest of them.',
    '',
    table(
      [
        'Testcases',
        'Report',
        'Tool',
        'Runs',
        'Time',
        'Peak RSS',
        'Time vs this action',
        'RSS vs this action'
      ],
      rows
    ),
    ''
  ].join('\n')
}

function requestsSection(results: Results): string {
  const comparisons: [string, OverheadSample[]][] = [
    [`Same interval (${seconds(results.sameInterval.intervalMs)})`, results.sameInterval.samples],
    [`Default intervals, scaled ${results.defaults.plan.factor}×`, results.defaults.samples]
  ]
  const rows: string[][] = []
  for (const [comparison, samples] of comparisons) {
    for (const tool of ['recipe', 'ours', 'ours-report-only'] as const) {
      const runs = samples.filter(s => s.tool === tool)
      if (runs.length === 0) continue
      const sent = runs.map(s => s.requests.start + s.requests.status + s.requests.report)
      const minimum = runs.map(s => minimumRequests(s.scanMs, s.intervalMs))
      const above = [...new Set(runs.map((_, i) => sent[i]! - minimum[i]!))].sort((a, b) => a - b)
      rows.push([
        comparison,
        TOOL_NAMES[tool],
        seconds(runs[0]!.intervalMs),
        String(runs.length),
        String(sum(sent)),
        String(sum(minimum)),
        above.join(', ')
      ])
    }
  }
  return [
    '## 4. Requests per scan',
    '',
    'Requests each run sent to the webhook API, as the simulator counted them, against the fewest that ' +
      'can see a scan of that length end when polling at that interval: one start, ⌈scan ÷ interval⌉ ' +
      'status requests and one report request. The action asks for the status once more, right after the ' +
      'start: that answer (queued) checks at once that the scan can be followed, so a wrong status ' +
      'endpoint fails the step in seconds instead of after the first interval.',
    '',
    table(
      ['Comparison', 'Tool', 'Interval', 'Scans', 'Requests sent', 'Minimum', 'Above the minimum, per scan'],
      rows
    ),
    ''
  ].join('\n')
}

function sizeSection(results: Results): string {
  const { bundle } = results
  const pkg = results.package
  return [
    '## 5. Size',
    '',
    'The two bundles as they are in `dist/`, and the npm package as `npm pack` makes it of this ' +
      'repository and `npm install` installs it, offline, into an empty prefix (the installation that ' +
      'section 2 runs). The installed size is the sum of the sizes of every file under ' +
      '`node_modules/crashtest-dast` (not the disk blocks they take). kB are 10³ bytes, MiB 2²⁰ bytes.',
    '',
    table(
      ['What', 'File', 'Size'],
      [
        [
          'the action, which action.yml runs',
          '`dist/index.js`',
          `${kb(bundle.action)} (${mib(bundle.action, 2)})`
        ],
        [
          "the command, the package's bin",
          '`dist/cli/index.js`',
          `${kb(bundle.command)} (${mib(bundle.command, 2)})`
        ],
        [
          `the repository as a runner downloads it (\`git archive\` of ${results.download.commit.slice(0, 12)}, gzipped)`,
          '(the whole tree)',
          `${kb(results.download.bytes)} (${mib(results.download.bytes, 2)}; \`dist/\` ${kb(results.download.distBytes)})`
        ],
        [
          'the package, packed',
          `\`${pkg.tarballName}\``,
          `${kb(pkg.tarballBytes)} (${mib(pkg.tarballBytes, 2)})`
        ],
        [
          `the package, installed (${pkg.files.length} files)`,
          '`node_modules/crashtest-dast/`',
          `**${kb(pkg.installedBytes)} (${mib(pkg.installedBytes, 2)})**`
        ]
      ]
    ),
    '',
    'The installed files:',
    '',
    table(
      ['File', 'Bytes'],
      pkg.files.map(file => [`\`${file.path}\``, bytes(file.bytes)])
    ),
    ''
  ].join('\n')
}

const WAY_NAMES: Record<Way, (targets: number) => string> = {
  'one-step': n => `one step, the ${n} targets as \`NAME: WEBHOOK\` lines`,
  'steps-in-a-row': n => `${n} steps in a row, one target each`,
  matrix: n => `a matrix of ${n} legs, one target each`
}

function severalSection(results: Results): string {
  const { plan, samples, memory } = results.several
  const n = plan.scanLengthsMs.length
  const longest = Math.max(...plan.scanLengthsMs)
  const of = (way: Way): WaySample | undefined => samples.find(s => s.way === way)
  const one = of('one-step')
  const oneWall = one ? wallTime(one.steps) : NaN
  const oneRunner = one ? runnerTime(one.steps) : NaN
  const rows = WAYS.flatMap(way => {
    const sample = of(way)
    if (!sample) return []
    const wall = wallTime(sample.steps)
    const runner = runnerTime(sample.steps)
    return [
      [
        WAY_NAMES[way](n),
        String(sample.steps.length),
        String(new Set(sample.steps.map(s => s.runner)).size),
        seconds(wall),
        seconds(runner),
        way === 'one-step' ? '1' : `×${(wall / oneWall).toFixed(2)}`,
        way === 'one-step' ? '1' : `×${(runner / oneRunner).toFixed(2)}`
      ]
    ]
  })
  const inRow = of('steps-in-a-row')
  const matrix = of('matrix')
  const meaning: string[] = []
  if (one && inRow && matrix) {
    const matrixWall = wallTime(matrix.steps)
    meaning.push(
      `The one step took ${seconds(oneWall)}: its longest scan, ${seconds(longest)}, and ` +
        `${seconds(oneWall - longest)} more, where the scans one after another take ` +
        `${seconds(sum(plan.scanLengthsMs))}; the action waited for the ${n} of them side by side. So one ` +
        `step ends ${timeBeside(oneWall, matrixWall, 'the matrix')}, and ${seconds(wallTime(inRow.steps) - oneWall)} ` +
        `sooner than the steps in a row, while it holds one runner for ${seconds(oneRunner)}: the steps in ` +
        `a row hold theirs ×${(runnerTime(inRow.steps) / oneRunner).toFixed(2)} as long, the matrix its ` +
        `${n} runners ×${(runnerTime(matrix.steps) / oneRunner).toFixed(2)} as long in all.`
    )
    const legs = matrix.steps.flatMap(leg => {
      const alone = inRow.steps.find(step => step.scanMs.join() === leg.scanMs.join())
      return alone ? [leg.closedAt - leg.spawnedAt - (alone.closedAt - alone.spawnedAt)] : []
    })
    if (legs.length > 0) {
      const shared = median(legs)
      meaning.push(
        `Here the matrix's ${n} legs ran on this machine's ${results.machine.cores} cores at once, where on ` +
          "GitHub each has a runner of its own: the median leg's step took " +
          `${ms(Math.abs(shared))} ${shared >= 0 ? 'longer' : 'less'} than the same target's step in a row, ` +
          "which ran alone; the matrix's times above include that."
      )
    }
  }
  return [
    '## 6. Several targets',
    '',
    `${n} targets, each with a scan of its own length: ${plan.scanLengthsMs.map(l => seconds(l, 0)).join(', ')}, ` +
      `every step polling every ${seconds(plan.intervalMs, 0)}. That is the scale of section 1's default ` +
      `intervals, ${plan.factor}× shorter than scans of ` +
      `${plan.scanLengthsMs.map(l => seconds(l * plan.factor, 0)).join(', ')} polled every ` +
      `${seconds(plan.intervalMs * plan.factor, 0)}, the action's default. The bundled action scans them ` +
      'three ways, each time against targets of its own in the simulator, with its defaults (the reports ' +
      'uploaded as an artifact to the fake artifact service):',
    '',
    `- **One step**: the ${n} targets as \`NAME: WEBHOOK\` lines of one step's \`webhook\`, without ` +
      '`max-parallel` (all at once): one process on one runner.',
    `- **${n} steps in a row**: one step per target, one after another, as the steps of one job: ${n} ` +
      'processes on one runner.',
    `- **A matrix of ${n} legs**: one step per target, all ${n} started at once, each standing for a job on ` +
      'a runner of its own.',
    '',
    '**Wall time** is from the start of the first step to the end of the last (each step from right after ' +
      '`spawn()` returned to the end of its output). **Runner time** is how long runners were held, each ' +
      'from the start of its first step to the end of its last, summed over the runners. Neither includes ' +
      'what GitHub adds to a job before its first step (starting the runner, setting up the job, ' +
      'downloading the action): the matrix has that once per leg, the other two once.',
    '',
    table(
      [
        'Way',
        'Steps',
        'Runners',
        'Wall time',
        'Runner time',
        'Wall time vs one step',
        'Runner time vs one step'
      ],
      rows
    ),
    '',
    ...(meaning.length > 0 ? [meaning.join(' '), ''] : []),
    ...memorySection(memory, results.machine.cores),
    ''
  ].join('\n')
}

function memorySection(memory: MemorySample[], cores: number): string[] {
  if (memory.length === 0) return []
  const counts = [...new Set(memory.map(s => s.targets))].sort((a, b) => a - b)
  const most = Math.max(...counts)
  const { testcases, reportBytes } = memory[0]!
  const peak = (targets: number): number =>
    Math.max(...memory.filter(s => s.targets === targets).map(s => s.peakRssKiB * 1024))
  const rows = counts.map(targets => {
    const runs = memory.filter(s => s.targets === targets)
    return [
      String(targets),
      `${targets} × ${testcases.toLocaleString('en-US')} testcases (${mib(targets * reportBytes)})`,
      String(runs.length),
      ms(median(runs.map(s => s.reportSpreadMs))),
      seconds(median(runs.map(s => s.afterReportsMs))),
      mb(peak(targets)),
      targets === 1 ? '' : `×${(peak(targets) / peak(1)).toFixed(2)}`
    ]
  })
  const extra = counts.includes(1) && most > 1 ? (peak(most) - peak(1)) / (most - 1) : NaN
  return [
    `### ${most} reports at once`,
    '',
    `One step of ${most} targets whose scans, all as long, start and end together, so that their reports ` +
      `are asked for and arrive at once: ${most} reports of ${testcases.toLocaleString('en-US')} testcases, ` +
      `${mib(reportBytes)} each, written as files (scripts/bench/junit-file.ts, the findings of each on ` +
      'pages of its own) and streamed by the simulator; beside it a step of one such target. Both poll ' +
      'every 1 s and run as in section 3 (its defaults except `upload-artifact: false`, SARIF written), ' +
      'and their peak RSS is measured the same way. The report requests arrived within the time in the ' +
      'fourth column, as the simulator recorded them; the fifth is from the first of them to the end of ' +
      `the step. Times are medians, peak RSS is the highest of the runs; the ${cores} cores of this ` +
      'machine served the reports and ran the step.',
    '',
    table(
      [
        'Targets in the step',
        'Reports',
        'Runs',
        'Report requests within',
        'From the first report request to the end of the step',
        'Peak RSS',
        'vs one target'
      ],
      rows
    ),
    '',
    ...(Number.isFinite(extra)
      ? [
          `With ${most} reports arriving at once the step's peak RSS was ${mb(peak(most))}, against ` +
            `${mb(peak(1))} with one: ${mb(extra)} for each report beyond the first, where each report is ` +
            `${mib(reportBytes)} (${mib(most * reportBytes)} in all).`,
          ''
        ]
      : [])
  ]
}

/** "1.20 s sooner than X" / "0.30 s later than X" */
function timeBeside(value: number, other: number, what: string): string {
  return `${seconds(Math.abs(value - other))} ${value <= other ? 'sooner' : 'later'} than ${what}`
}

function leanSection(results: Results): string {
  const others = results.package.installedPackages.filter(name => name !== 'crashtest-dast')
  return [
    '## What keeps the action and the command lean',
    '',
    '- **The report streams, and is read once.** The download streams to disk and, on its way, to a ' +
      'streaming parser (saxes) in 8 KiB pieces: nothing holds the whole report, and it is not read again ' +
      'from the file. Only testcases with an outcome are kept; their scanner names, titles and types are ' +
      'kept once however often they repeat, and every kept text is copied so that it does not pin the ' +
      'piece it came from.',
    "- **Polling is one request per interval**, counted from one request's start to the next, plus one " +
      'right after the start (section 4); no process is started per poll.',
    others.length === 0
      ? '- **The command installs alone.** Installing its tarball added no other package: its bundle, ' +
        '`dist/cli/index.js`, carries all the code it runs.'
      : `- **The command's installation** added ${others.length} other package${others.length === 1 ? '' : 's'}: ` +
        `${others.join(', ')}.`,
    ''
  ].join('\n')
}

function methodSection(results: Results): string {
  return [
    '## How it is measured',
    '',
    '- **Clock.** All times are `Date.now()` on this machine, in the same process that runs the simulator: ' +
      'the simulator stamps each request when it arrives; the bench stamps a process right after ' +
      "`spawn()` returns and when the process's output closes.",
    '- **The recipe** is scripts/bench/recipe.sh, the script of the service\'s "Retrieve Scan Report using ' +
      'Webhook" page as published (curl and jq, `sleep 60` between status requests, the status read from ' +
      '`.data.status.code`), with the webhook, the endpoint and the interval taken from the environment. It ' +
      'runs as a workflow `run:` step runs a script, `bash -e`; under a POSIX `sh` such as dash its `[[ ]]` ' +
      'test fails and it downloads the report before the scan has ended. The simulator answers the status ' +
      'under `data.status.code` in these runs, where the recipe reads it (the action reads both places).',
    '- **HTTPS.** For the overhead the simulator serves HTTPS with a P-256 certificate for 127.0.0.1 that ' +
      'openssl makes for the run (simulator/tls.ts); curl trusts it through `CURL_CA_BUNDLE`, the ' +
      'action through `NODE_EXTRA_CA_CERTS`. Start-up and report processing are measured over plain HTTP: ' +
      'there both sides would pay the same handshake.',
    '- **The command** is installed as a user installs it: `npm pack --ignore-scripts` of this ' +
      'repository, then `npm install --offline` of the tarball into an empty prefix with an empty npm ' +
      'cache (scripts/bench/command.ts). It runs as `<prefix>/node_modules/.bin/crashtest-dast scan`, ' +
      'through its shebang, with the Node of the run first on PATH and an environment of PATH, HOME, ' +
      'LANG, `CRASHTEST_WEBHOOK`, `CRASHTEST_API_URL` and `CRASHTEST_POLL_INTERVAL` only, in an empty ' +
      "working folder. Node 22 is the npm registry's Node binary package of that major " +
      '(scripts/node-binary.mjs).',
    "- **The action** runs with the runner's environment (inputs as `INPUT_*`, the file commands, the " +
      '`GITHUB_*` variables) and nothing else; for the overhead with its defaults it uploads the report to ' +
      'the local fake of the artifact service with the real @actions/artifact client.',
    "- **Peak RSS** is `getrusage()`'s `ru_maxrss` of the measured process, which the kernel keeps, so no " +
      'peak falls between two samples: scripts/bench/rss-probe.mjs, loaded with `NODE_OPTIONS=--import`, ' +
      'writes it when the process exits. The same probe measures the action and the whole-document ' +
      'parsers. MB are 10⁶ bytes.',
    `- **Repetitions**: overhead ${results.sameInterval.repetitions} runs per tool, start-up ` +
      `${results.startup.repetitions} per process; medians are reported with the range. Several targets: ` +
      `one run of each way, and ${results.several.memory.filter(s => s.targets === 1).length} of each ` +
      'step of section 6 whose peak RSS was measured.',
    ''
  ].join('\n')
}

function expectedMedian(samples: OverheadSample[], tool: Tool, fullIntervalMs?: number): number {
  return median(samples.filter(s => s.tool === tool).map(s => expectedOverhead(s, fullIntervalMs)))
}

function sameProcess(a: StartupProcess, b: StartupProcess): boolean {
  return a.starter === b.starter && a.node === b.node
}

function startupMedian(samples: StartupSample[], process: StartupProcess): number {
  const values = samples.filter(s => sameProcess(s, process)).map(s => s.startupMs)
  return values.length > 0 ? median(values) : NaN
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0)
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

function ms(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value)} ms` : '–'
}

function seconds(valueMs: number, digits = 2): string {
  return Number.isFinite(valueMs) ? `${(valueMs / 1000).toFixed(digits)} s` : '–'
}

function minutes(valueMs: number): string {
  const total = Math.round(valueMs / 1000)
  return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, '0')} s`
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1e6)} MB`
}

function signedMs(value: number): string {
  return Number.isFinite(value) ? `${value < 0 ? '−' : '+'}${ms(Math.abs(value))}` : '–'
}

function kb(value: number): string {
  return `${Math.round(value / 1000)} kB`
}

function mib(value: number, digits = 1): string {
  return `${(value / 2 ** 20).toFixed(digits)} MiB`
}

function bytes(value: number): string {
  return `${value.toLocaleString('en-US')} bytes`
}

/** Bytes as MB (10⁶ bytes) to two decimals, for sizes near a limit. */
function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`
}
