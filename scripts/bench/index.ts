// `npm run bench`: the bundled action against the documented shell recipe and against whole-document XML
// parsers, the start-up of the action and of the installed command, and the size of the npm package, all
// on this machine against the simulator, and several targets in one step against steps in a row and
// a matrix; prints the tables and regenerates docs/benchmarks.md. `--quick` runs fewer repetitions, no
// 1M-testcase report and fewer, shorter scans of several targets, and writes the page only when
// `--out <file>` is given. See docs/benchmarks.md for what each number means.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { format, resolveConfig } from 'prettier'
import { startArtifactService } from '../../simulator/artifact-service.js'
import { startSimulator } from '../../simulator/webhook-api.js'
import { installCommand, nodeBinary, nodeVersion, packageSize } from './command.js'
import { checkShape } from './junit-file.js'
import { available } from './measure.js'
import { defaultIntervals, sameInterval, type Bench } from './overhead.js'
import { processing, type Processor } from './processing.js'
import { renderBenchmarks, type Machine, type Results } from './render.js'
import { severalReports, severalTargets, type MemoryPlan, type SeveralPlan } from './several.js'
import { startup } from './startup.js'
import { loopbackCertificate } from '../../simulator/tls.js'

const { values: options } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } }
})
const quick = options.quick ?? false
const out =
  options.out ?? (quick ? undefined : fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url)))

const tools = await requireTools()
// Node 22 may have to come from the registry first: before anything is timed.
const nodes = { 24: await nodeBinary(24), 22: await nodeBinary(22) }
const began = Date.now()
const loadBefore = loadavg()
const folder = mkdtempSync(join(tmpdir(), 'crashtest-bench-'))
const simulator = await startSimulator()
const artifactService = await startArtifactService()
const bench: Bench = { simulator, artifactService, log: line => console.log(line) }
// The overhead is measured over HTTPS: the recipe's curl opens a connection, with its TLS handshake, for
// every call, as it does against the real service; the action keeps its connection alive.
const certificate = await loopbackCertificate(folder)
const httpsSimulator = await startSimulator({ tls: certificate })
const overBench: Bench = { ...bench, simulator: httpsSimulator, caFile: certificate.certFile }

try {
  await checkShape(join(folder, 'shape-check.xml'))

  console.log('The command as npm installs it from the packed repository')
  const command = await installCommand(join(folder, 'package'))
  const size = { ...packageSize(command), tarballName: basename(command.tarball) }
  console.log(`  ${size.tarballName}: ${size.tarballBytes} bytes packed, ${size.installedBytes} installed`)

  const same = { baseScanMs: 2000, intervalMs: 1000, repetitions: quick ? 3 : 5 }
  console.log(`Overhead at the same interval (${same.repetitions} runs per tool)`)
  const sameSamples = await sameInterval(overBench, same)

  const plan = {
    oursIntervalMs: 30_000,
    recipeIntervalMs: 60_000,
    factor: 30,
    scanLengthsMs: (quick ? [200, 230] : [185, 200, 215, 230]).map(s => s * 1000)
  }
  console.log(`Overhead at each tool's default interval, scaled down ${plan.factor}×`)
  const defaultSamples = await defaultIntervals(overBench, plan)

  const startupRepetitions = quick ? 9 : 25
  console.log(`Start-up (${startupRepetitions} runs per process)`)
  const startupFolder = join(folder, 'startup')
  mkdirSync(startupFolder)
  const startupSamples = await startup({ bench, nodes, command, folder: startupFolder }, startupRepetitions)

  console.log('Report processing')
  const reps = (ours: number, whole: number): Record<Processor, number> => ({
    ours,
    'fast-xml-parser': whole,
    xml2js: whole
  })
  const sizes = [
    { testcases: 1000, repetitions: reps(5, 5) },
    { testcases: 100_000, repetitions: quick ? reps(1, 1) : reps(3, 3) },
    ...(quick ? [] : [{ testcases: 1_000_000, repetitions: reps(3, 1) }])
  ]
  const processingSamples = await processing(bench, { sizes, folder })

  // Section 6's scans at the scale of section 1's default intervals: the action's 30 s, 30× shorter.
  const severalPlan: SeveralPlan = {
    scanLengthsMs: Array.from({ length: quick ? 4 : 10 }, (_, index) => (index + 1) * 1000),
    intervalMs: 1000,
    factor: 30
  }
  const n = severalPlan.scanLengthsMs.length
  console.log(`Several targets: ${n} as one step, ${n} steps in a row, a matrix of ${n} legs`)
  const severalSamples = await severalTargets(bench, severalPlan)
  const memoryPlan: MemoryPlan = {
    targets: 10,
    testcases: 100_000,
    scanMs: 2000,
    repetitions: quick ? 1 : 3,
    folder
  }
  console.log(`Several targets: ${memoryPlan.targets} reports of ${memoryPlan.testcases} testcases at once`)
  const memorySamples = await severalReports(bench, memoryPlan)

  const machine: Machine = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryBytes: totalmem(),
    os: `${osType()} ${release()}`,
    nodes: { 24: await nodeVersion(nodes[24]), 22: await nodeVersion(nodes[22]) },
    tools,
    date: new Date(began).toISOString().replace(/\.\d+Z$/, 'Z'),
    loadBefore,
    loadAfter: loadavg()
  }
  const results: Results = {
    quick,
    bundle: bundleSizes(),
    download: repositoryDownload(),
    package: size,
    machine,
    sameInterval: { ...same, samples: sameSamples },
    defaults: { plan, samples: defaultSamples },
    startup: { repetitions: startupRepetitions, samples: startupSamples },
    processing: processingSamples,
    several: { plan: severalPlan, samples: severalSamples, memory: memorySamples },
    durationMs: Date.now() - began
  }
  // Formatted as the repository formats Markdown, so that the committed page passes prettier --check.
  const page = await format(renderBenchmarks(results), {
    ...(await resolveConfig(out ?? fileURLToPath(import.meta.url))),
    parser: 'markdown'
  })
  console.log(`\n${page}`)
  if (out) {
    writeFileSync(out, page)
    console.log(`Written to ${out}.`)
  }
} finally {
  await Promise.all([simulator.close(), httpsSimulator.close(), artifactService.close()])
  rmSync(folder, { recursive: true, force: true })
}

/**
 * The runner downloads the repository at the action's ref as an archive for every job that uses it: the
 * committed tree of HEAD, as `git archive` makes it, gzipped (what GitHub serves is of this size).
 */
function repositoryDownload(): Results['download'] {
  const root = fileURLToPath(new URL('../../', import.meta.url))
  const gzipped = (...paths: string[]): number =>
    gzipSync(execFileSync('git', ['archive', 'HEAD', ...paths], { cwd: root, maxBuffer: 1 << 30 })).length
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()
  return { bytes: gzipped(), distBytes: gzipped('dist'), commit }
}

function bundleSizes(): Results['bundle'] {
  const dist = fileURLToPath(new URL('../../dist/', import.meta.url))
  return {
    action: statSync(join(dist, 'index.js')).size,
    command: statSync(join(dist, 'cli', 'index.js')).size
  }
}

/**
 * The recipe needs bash, curl and jq, and openssl makes the certificate of the HTTPS simulator; say which
 * are missing before anything is measured.
 */
async function requireTools(): Promise<Machine['tools']> {
  const found = {
    bash: await available('bash'),
    curl: await available('curl'),
    jq: await available('jq'),
    openssl: await available('openssl', 'version')
  }
  const missing = Object.entries(found).filter(([, version]) => version === undefined)
  if (missing.length > 0) {
    console.error(
      `The benchmark runs the service's documented shell recipe, which needs bash, curl and jq, over HTTPS, ` +
        `for which openssl makes a certificate; ` +
        `missing here: ${missing.map(([name]) => name).join(', ')}. Install ${missing.length === 1 ? 'it' : 'them'} ` +
        `(on Debian or Ubuntu: ` +
        `sudo apt-get install -y ${missing.map(([name]) => name).join(' ')}) and run \`npm run bench\` again.`
    )
    process.exit(1)
  }
  return {
    bash: found.bash!.replace(/^GNU bash, version (\S+).*/, 'bash $1'),
    curl: found.curl!.split(' ').slice(0, 2).join(' '),
    jq: found.jq!,
    openssl: found.openssl!.split(' ').slice(0, 2).join(' ')
  }
}
