// `npm run bench`: measures the bundled action and the installed command against the simulator on this
// machine (scripts/bench/measure.ts says what), prints the page and regenerates docs/benchmarks.md.
// `--quick` runs fewer and smaller measurements and writes the page only when `--out <file>` is given.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { format, resolveConfig } from 'prettier'
import { startArtifactService } from '../../simulator/artifact-service.js'
import { loopbackCertificate } from '../../simulator/tls.js'
import { startSimulator } from '../../simulator/webhook-api.js'
import { processing, severalTargets, startup, overheads, type Bench, type OverheadPlan } from './measure.js'
import { installCommand, nodeBinary, packageSize, versionOf } from './processes.js'
import { renderBenchmarks, type Results } from './render.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const { values: options } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } }
})
const quick = options.quick ?? false
const out = options.out ?? (quick ? undefined : join(root, 'docs', 'benchmarks.md'))

// The recipe needs bash, curl and jq; openssl makes the HTTPS simulator's certificate.
const tools = ['bash', 'curl', 'jq', 'openssl']
const versions = await Promise.all(
  tools.map(tool => versionOf(tool, tool === 'openssl' ? 'version' : '--version'))
)
const missing = tools.filter((_, index) => versions[index] === undefined)
if (missing.length > 0) {
  console.error(
    `The benchmark needs ${tools.join(', ')}; missing here: ${missing.join(', ')}. Install them and run it again.`
  )
  process.exit(1)
}
// Node 22 may have to come from the registry: before anything is timed.
const nodes = { 24: await nodeBinary(24), 22: await nodeBinary(22) }
const began = Date.now()
const loadBefore = loadavg()
const folder = mkdtempSync(join(tmpdir(), 'crashtest-bench-'))
const simulator = await startSimulator()
const artifactService = await startArtifactService()
const bench: Bench = { simulator, artifactService, log: line => console.log(line) }
// Overhead over HTTPS: the recipe's curl opens a connection per call, as against the real service.
const certificate = await loopbackCertificate(folder)
const httpsSimulator = await startSimulator({ tls: certificate })
const overBench: Bench = { ...bench, simulator: httpsSimulator, caFile: certificate.certFile }

try {
  console.log('The command, packed and installed')
  const command = await installCommand(join(folder, 'package'))
  const overhead = async (plan: OverheadPlan) => ({ ...plan, samples: await overheads(overBench, plan) })
  console.log('Overhead at the same interval, over scan lengths spread evenly over one interval')
  const repetitions = quick ? 3 : 5
  const sameInterval = await overhead({
    tools: { recipe: 1000, ours: 1000, 'ours-report-only': 1000 },
    scanLengthsMs: Array.from(
      { length: repetitions },
      (_, index) => 2000 + Math.round(((index + 0.5) / repetitions) * 1000)
    ),
    factor: 1
  })
  console.log("Overhead at each tool's default interval (the recipe's `sleep 60`), scaled down")
  const defaults = await overhead({
    tools: { recipe: 60_000, ours: 30_000 },
    scanLengthsMs: (quick ? [200, 230] : [185, 200, 215, 230]).map(s => s * 1000),
    factor: 30
  })
  console.log('Start-up')
  const startupRepetitions = quick ? 9 : 25
  const startupSamples = await startup({ bench, nodes, command, folder }, startupRepetitions)
  console.log('Report processing')
  const sizes = [
    { testcases: 1000, reports: 1, ours: 5, whole: 5 },
    { testcases: 100_000, reports: 1, ours: quick ? 1 : 3, whole: quick ? 1 : 3 },
    ...(quick ? [] : [{ testcases: 1_000_000, reports: 1, ours: 3, whole: 1 }]),
    { testcases: 100_000, reports: 10, ours: quick ? 1 : 3, whole: 0 }
  ]
  const processingSamples = await processing(bench, { sizes, folder })
  console.log("Several targets, at the scale of the action's default interval scaled down 30×")
  const several = {
    scanLengthsMs: Array.from({ length: quick ? 4 : 10 }, (_, index) => (index + 1) * 1000),
    intervalMs: 1000,
    factor: 30
  }
  const ways = await severalTargets(bench, several, ['one-step', 'steps-in-a-row', 'matrix'])

  const results: Results = {
    quick,
    machine: {
      date: new Date(began).toISOString().replace(/\.\d+Z$/, 'Z'),
      rows: [
        ['CPU', `${cpus()[0]?.model.trim() ?? 'unknown'}, ${availableParallelism()} cores`],
        ['Memory', `${(totalmem() / 2 ** 30).toFixed(1)} GiB`],
        ['OS', `${osType()} ${release()}`],
        ['Node', `${await versionOf(nodes[24])}, ${await versionOf(nodes[22])}`],
        ['Tools', versions.map(v => v!.replace(/^GNU bash, version/, 'bash').split(' (')[0]).join(' / ')],
        ['Load average (1 / 5 / 15 min), before → after', `${load(loadBefore)} → ${load(loadavg())}`]
      ]
    },
    durationMs: Date.now() - began,
    bundle: { action: sizeOf('dist/index.js'), command: sizeOf('dist/cli/index.js') },
    download: repositoryDownload(),
    package: { ...packageSize(command), tarballName: basename(command.tarball) },
    sameInterval,
    defaults,
    startup: { repetitions: startupRepetitions, samples: startupSamples },
    processing: processingSamples,
    several: { ...several, ways }
  }
  // Formatted as the repository formats Markdown, so that the committed page passes prettier --check.
  const config = await resolveConfig(out ?? root)
  const page = await format(renderBenchmarks(results), { ...config, parser: 'markdown' })
  console.log(`\n${page}`)
  if (out) {
    writeFileSync(out, page)
    console.log(`Written to ${out}.`)
  }
} finally {
  await Promise.all([simulator.close(), httpsSimulator.close(), artifactService.close()])
  rmSync(folder, { recursive: true, force: true })
}

function load(values: number[]): string {
  return values.map(v => v.toFixed(2)).join(' / ')
}

function sizeOf(file: string): number {
  return statSync(join(root, file)).size
}

/** What a runner downloads for every job that uses the action: HEAD as `git archive` makes it, gzipped. */
function repositoryDownload(): Results['download'] {
  const gzipped = (...paths: string[]): number =>
    gzipSync(execFileSync('git', ['archive', 'HEAD', ...paths], { cwd: root, maxBuffer: 1 << 30 })).length
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()
  return { bytes: gzipped(), distBytes: gzipped('dist'), commit }
}
