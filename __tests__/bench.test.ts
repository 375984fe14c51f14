// The benchmark's own pieces (npm run bench is not part of the test suite: it takes minutes and needs
// bash, curl and jq). These keep its report files, its comparison, its measurement of the installed
// command and the page it renders honest.
import { execFileSync, spawnSync } from 'node:child_process'
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { startArtifactService } from '../simulator/artifact-service.js'
import { startSimulator } from '../simulator/webhook-api.js'
import {
  filesUnder,
  installCommand,
  nodeBinary,
  nodeVersion,
  packageSize,
  runCommand,
  type InstalledCommand,
  type PackageSize
} from '../scripts/bench/command.js'
import { checkShape, writeJunitReport } from '../scripts/bench/junit-file.js'
import { requestsOf, WHOLE_DOCUMENT } from '../scripts/bench/measure.js'
import {
  minimumRequests,
  spreadScanLengths,
  type OverheadSample,
  type Tool
} from '../scripts/bench/overhead.js'
import { renderBenchmarks, TARGETS, type Results } from '../scripts/bench/render.js'
import {
  runnerTime,
  severalTargets,
  wallTime,
  type StepRun,
  type WaySample
} from '../scripts/bench/several.js'
import { STARTUP_PROCESSES, startupOf, type StartupSample } from '../scripts/bench/startup.js'
import { parseJunitReport } from '../src/engine/report/junit.js'

const folder = mkdtempSync(join(tmpdir(), 'bench-test-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

describe('the benchmark reports', () => {
  it('are written exactly as the simulator renders them', async () => {
    await expect(checkShape(join(folder, 'shape.xml'))).resolves.toBeUndefined()
  })

  it('hold what their shape says, for the action and for both whole-document parsers', async () => {
    const file = join(folder, 'report.xml')
    const shape = await writeJunitReport(file, 5000)
    expect(shape).toEqual({ testcases: 5000, failures: 133, findings: 107 })
    const report = await parseJunitReport(createReadStream(file))
    expect(report.testcases).toBe(shape.testcases)
    expect(report.findings.length).toBe(shape.findings)
    expect(report.findings.length + report.scannerErrors.length + report.skippedChecks.length).toBe(
      shape.failures
    )
    for (const parser of ['xml2js', 'fast-xml-parser']) {
      const child = spawnSync(process.execPath, [WHOLE_DOCUMENT, parser, file], { encoding: 'utf8' })
      expect(child.stderr).toBe('')
      expect(child.stdout.split('\n').filter(Boolean)).toEqual([
        'ready',
        JSON.stringify({ testcases: shape.testcases, failures: shape.failures })
      ])
    }
  })
})

describe('the overhead comparison', () => {
  it('spreads scan lengths evenly over one interval', () => {
    expect(spreadScanLengths({ repetitions: 5, baseScanMs: 2000, intervalMs: 1000 })).toEqual([
      2100, 2300, 2500, 2700, 2900
    ])
  })

  it('counts the fewest requests that can see a scan end: start, one per interval begun, report', () => {
    expect(minimumRequests(2500, 1000)).toBe(5)
    expect(minimumRequests(200_000, 60_000)).toBe(6)
    expect(minimumRequests(3000, 1000)).toBe(5)
  })
})

describe('the package measurement', () => {
  it('sums the bytes of every file below a folder, largest first', () => {
    const dir = join(folder, 'sizes')
    mkdirSync(join(dir, 'dist', 'cli'), { recursive: true })
    writeFileSync(join(dir, 'package.json'), 'x'.repeat(10))
    writeFileSync(join(dir, 'dist', 'cli', 'index.js'), 'y'.repeat(1000))
    writeFileSync(join(dir, 'empty'), '')
    expect(filesUnder(dir)).toEqual([
      { path: 'dist/cli/index.js', bytes: 1000 },
      { path: 'package.json', bytes: 10 },
      { path: 'empty', bytes: 0 }
    ])
  })

  it('runs the command with the Node of its run first on PATH and nothing else of this environment', async () => {
    // /usr/bin/env in place of the bin shows what the bin's `#!/usr/bin/env node` finds, and the environment.
    const env = { command: { tarball: '', prefix: '', bin: '/usr/bin/env' }, cwd: folder, home: folder }
    for (const major of [22, 24] as const) {
      const node = await nodeBinary(major)
      expect(await nodeVersion(node)).toMatch(new RegExp(`^v${major}\\.`))
      const run = await runCommand({ ...env, node, args: ['node', '--version'], env: {} })
      expect(run.stdout.trim()).toMatch(new RegExp(`^v${major}\\.\\d+\\.\\d+$`))
    }
    const printed = await runCommand({
      ...env,
      node: await nodeBinary(22),
      args: [],
      env: { CRASHTEST_WEBHOOK: 'w' }
    })
    const names = printed.stdout
      .split('\n')
      .filter(Boolean)
      .map(line => line.split('=')[0])
    expect(names.sort()).toEqual(['CRASHTEST_WEBHOOK', 'HOME', 'LANG', 'PATH'])
  })

  let installed: InstalledCommand | undefined
  it('installs the packed repository alone, and measures what the tarball holds', async () => {
    installed = await installCommand(join(folder, 'package'))
    const size = packageSize(installed)
    // What `tar` says the tarball holds (every entry under package/, with its size) is what was installed.
    const listed = execFileSync('tar', ['-tzvf', installed.tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(line => line.startsWith('-'))
      .map(line => {
        const fields = line.trim().split(/\s+/)
        return { path: fields.at(-1)!.replace(/^package\//, ''), bytes: Number(fields[2]) }
      })
    expect([...size.files].sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      listed.sort((a, b) => a.path.localeCompare(b.path))
    )
    expect(size.files.map(file => file.path)).toContain('dist/cli/index.js')
    expect(size.installedBytes).toBe(listed.reduce((total, file) => total + file.bytes, 0))
    const wc = execFileSync('wc', ['-c', installed.tarball], { encoding: 'utf8' })
    expect(size.tarballBytes).toBe(Number(wc.trim().split(/\s+/)[0]))
    expect(size.installedPackages).toEqual(['crashtest-dast'])
  }, 120_000)

  it('times the start-up of the installed command on Node 22 and 24, and of the action and bare Node', async () => {
    if (!installed) throw new Error('the previous test did not install the command')
    const simulator = await startSimulator()
    const artifactService = await startArtifactService()
    const runs = join(folder, 'startup')
    mkdirSync(runs)
    try {
      const context = {
        bench: { simulator, artifactService, log: () => undefined },
        nodes: { 22: await nodeBinary(22), 24: await nodeBinary(24) },
        command: installed,
        folder: runs
      }
      for (const measured of STARTUP_PROCESSES) {
        const before = simulator.requests.length
        const sample = await startupOf(context, measured)
        expect(sample).toEqual({ ...measured, startupMs: expect.any(Number) })
        expect(sample.startupMs).toBeGreaterThan(0)
        expect(sample.startupMs).toBeLessThan(20_000)
        const webhook = simulator.requests[before]!.path.split('/').find(part => part.startsWith('bench-'))!
        const methods = requestsOf(simulator, webhook).map(request => request.method)
        expect(methods[0]).toBe('POST')
        // The action and the command run the scan to its verdict: the report is asked for.
        if (measured.starter === 'action' || measured.starter === 'command') {
          expect(requestsOf(simulator, webhook).some(r => r.path.endsWith('/report/junit'))).toBe(true)
        }
      }
    } finally {
      await Promise.all([simulator.close(), artifactService.close()])
    }
  }, 120_000)
})

describe('several targets: one step, steps in a row, a matrix', () => {
  const step = (runner: number, scanMs: number[], spawnedAt: number, closedAt: number): StepRun => ({
    runner,
    scanMs,
    spawnedAt,
    closedAt
  })

  it('takes wall time from the first start to the last end, and sums runner time over the runners', () => {
    const inRow = [step(0, [1000], 100, 1500), step(0, [2000], 1510, 3900)]
    expect(wallTime(inRow)).toBe(3800)
    // One runner is held between its steps too.
    expect(runnerTime(inRow)).toBe(3800)
    const matrix = [step(0, [1000], 100, 1500), step(1, [2000], 120, 2600), step(2, [3000], 90, 3700)]
    expect(wallTime(matrix)).toBe(3610)
    expect(runnerTime(matrix)).toBe(1400 + 2480 + 3610)
  })

  it('scans the targets side by side in one step, and one per leg in a matrix started at once', async () => {
    const simulator = await startSimulator()
    const artifactService = await startArtifactService()
    try {
      const bench = { simulator, artifactService, log: () => undefined }
      const plan = { scanLengthsMs: [1000, 2000, 3000], intervalMs: 1000, factor: 30 }
      const samples: WaySample[] = await severalTargets(bench, plan, ['one-step', 'matrix'])
      expect(samples.map(s => s.way)).toEqual(['one-step', 'matrix'])
      const [one, matrix] = samples.map(s => s.steps)

      expect(one!.map(s => [s.runner, s.scanMs])).toEqual([[0, [1000, 2000, 3000]]])
      expect(runnerTime(one!)).toBe(wallTime(one!))
      expect(wallTime(one!)).toBeGreaterThan(3000)
      // Side by side: the step lasts less than the scans one after another.
      expect(wallTime(one!)).toBeLessThan(6000)
      const ofOneStep = simulator.requests.filter(r => r.path.includes('/bench-several-one-step-'))
      const starts = ofOneStep.filter(r => r.method === 'POST').map(r => r.at)
      const reports = ofOneStep.filter(r => r.path.endsWith('/report/junit')).map(r => r.at)
      expect([starts.length, reports.length]).toEqual([3, 3])
      // Every scan was started before any report was asked for.
      expect(Math.max(...starts)).toBeLessThan(Math.min(...reports))

      expect(matrix!.map(s => [s.runner, s.scanMs])).toEqual([
        [0, [1000]],
        [1, [2000]],
        [2, [3000]]
      ])
      const spawned = matrix!.map(s => s.spawnedAt)
      expect(Math.max(...spawned) - Math.min(...spawned)).toBeLessThan(1000)
      // Each leg outlives its scan, so the runners are held at least as long as the scans in all.
      expect(runnerTime(matrix!)).toBeGreaterThan(6000)
      expect(wallTime(matrix!)).toBeLessThan(6000)
      expect(runnerTime(one!)).toBeLessThan(runnerTime(matrix!))
    } finally {
      await Promise.all([simulator.close(), artifactService.close()])
    }
  }, 60_000)
})

describe('the page', () => {
  const sizeOf = (installedBytes: number): PackageSize & { tarballName: string } => ({
    tarballName: 'crashtest-dast-9.9.9.tgz',
    tarballBytes: 480_000,
    installedBytes,
    files: [
      { path: 'dist/cli/index.js', bytes: installedBytes - 2000 },
      { path: 'package.json', bytes: 2000 }
    ],
    installedPackages: ['crashtest-dast']
  })

  const overhead = (tool: Tool, intervalMs: number): OverheadSample => ({
    tool,
    scanMs: 2500,
    intervalMs,
    overheadMs: 500,
    pollSpacingMs: intervalMs + 10,
    afterEndMs: tool === 'recipe' ? 30 : 20,
    requests: { start: 1, status: 4, report: 1 }
  })

  const startupMs: Record<string, number> = {
    'action-24': 300,
    'command-24': 180,
    'command-22': 240,
    'bare-fetch-24': 90,
    'bare-http-24': 40,
    'bare-fetch-22': 95,
    'bare-http-22': 45
  }

  const several: Results['several'] = {
    plan: { scanLengthsMs: [1000, 2000, 3000], intervalMs: 1000, factor: 30 },
    samples: [
      {
        way: 'one-step',
        steps: [{ runner: 0, scanMs: [1000, 2000, 3000], spawnedAt: 0, closedAt: 3600 }]
      },
      {
        way: 'steps-in-a-row',
        steps: [
          { runner: 0, scanMs: [1000], spawnedAt: 0, closedAt: 1400 },
          { runner: 0, scanMs: [2000], spawnedAt: 1410, closedAt: 3810 },
          { runner: 0, scanMs: [3000], spawnedAt: 3820, closedAt: 7220 }
        ]
      },
      {
        way: 'matrix',
        steps: [
          { runner: 0, scanMs: [1000], spawnedAt: 0, closedAt: 1600 },
          { runner: 1, scanMs: [2000], spawnedAt: 5, closedAt: 2700 },
          { runner: 2, scanMs: [3000], spawnedAt: 10, closedAt: 3700 }
        ]
      }
    ],
    memory: [
      ...[100_000, 98_000].map(peakRssKiB => ({
        targets: 1,
        testcases: 100_000,
        reportBytes: 9_262_921,
        peakRssKiB,
        reportSpreadMs: 0,
        afterReportsMs: 600
      })),
      ...[200_000, 190_000].map(peakRssKiB => ({
        targets: 10,
        testcases: 100_000,
        reportBytes: 9_262_921,
        peakRssKiB,
        reportSpreadMs: 240,
        afterReportsMs: 3600
      }))
    ]
  }

  function results(installedBytes: number): Results {
    const startup: StartupSample[] = STARTUP_PROCESSES.flatMap(p =>
      [-5, 0, 5].map(delta => ({ ...p, startupMs: startupMs[`${p.starter}-${p.node}`]! + delta }))
    )
    return {
      quick: true,
      bundle: { action: 5_981_200, command: 1_957_003 },
      download: {
        bytes: 1_765_432,
        distBytes: 1_350_000,
        commit: 'a7b7de4f0c1e2d3b4a5968778695a4b3c2d1e0f9'
      },
      package: sizeOf(installedBytes),
      machine: {
        cpu: 'Test CPU',
        cores: 2,
        memoryBytes: 2 ** 34,
        os: 'Linux test',
        nodes: { 24: 'v24.1.2', 22: 'v22.3.4' },
        tools: { bash: 'bash 5', curl: 'curl 8', jq: 'jq-1.7', openssl: 'OpenSSL 3' },
        date: '2026-01-01T00:00:00Z',
        loadBefore: [0, 0, 0],
        loadAfter: [0, 0, 0]
      },
      sameInterval: {
        baseScanMs: 2000,
        intervalMs: 1000,
        repetitions: 1,
        samples: (['recipe', 'ours', 'ours-report-only'] as const).map(tool => overhead(tool, 1000))
      },
      defaults: {
        plan: { oursIntervalMs: 30_000, recipeIntervalMs: 60_000, factor: 30, scanLengthsMs: [200_000] },
        samples: [overhead('recipe', 2000), overhead('ours', 1000)]
      },
      startup: { repetitions: 3, samples: startup },
      processing: [],
      several,
      durationMs: 65_000
    }
  }

  /** The cells of the table row whose first cell starts with `start`. */
  function row(page: string, start: string): string[] {
    const line = page.split('\n').find(l => l.startsWith(`| ${start}`))
    if (!line) throw new Error(`no row starting with ${start}`)
    return line
      .split('|')
      .slice(1, -1)
      .map(cell => cell.trim())
  }

  it('judges the installed size against 3 MiB, and says what weighs most when it is missed', () => {
    expect(TARGETS.installedBytes).toBe(3 * 1024 * 1024)
    const met = renderBenchmarks(results(TARGETS.installedBytes))
    expect(row(met, 'Installed package')).toEqual([
      'Installed package (the packed tarball installed by npm) at most 3 MiB',
      '3.00 MiB (3,145,728 bytes; tarball 0.46 MiB)',
      'yes'
    ])
    expect(met).not.toContain('Missed in this run')
    const missed = renderBenchmarks(results(TARGETS.installedBytes + 1))
    expect(row(missed, 'Installed package').at(-1)).toBe('**no**')
    expect(missed).toContain('`dist/cli/index.js` alone is 3.00 MiB of the 3.00 MiB installed (2 files')
  })

  it('judges the repository download against 2 MB, gzipped as the runner fetches it', () => {
    const met = renderBenchmarks(results(2_000_000))
    expect(row(met, 'Repository download').slice(1)).toEqual([
      '1.77 MB gzipped, 1.35 MB of it `dist/`',
      'yes'
    ])
    const missed = renderBenchmarks({
      ...results(2_000_000),
      download: { bytes: 2e6, distBytes: 1.6e6, commit: 'a'.repeat(40) }
    })
    expect(row(missed, 'Repository download').at(-1)).toBe('**no**')
    expect(row(met, 'the repository as a runner downloads it')).toEqual([
      'the repository as a runner downloads it (`git archive` of a7b7de4f0c1e, gzipped)',
      '(the whole tree)',
      '1765 kB (1.68 MiB; `dist/` 1350 kB)'
    ])
  })

  it("says, when the peak RSS is missed, what the action's bundle and its peak on the smallest report were", () => {
    const page = renderBenchmarks({
      ...results(2_000_000),
      processing: [
        { processor: 'ours', testcases: 1000, bytes: 90_000, timeMs: 50, peakRssKiB: 100_000 },
        { processor: 'ours', testcases: 1_000_000, bytes: 90e6, timeMs: 2000, peakRssKiB: 160_000 }
      ]
    })
    expect(row(page, '1M testcases: peak RSS').slice(1)).toEqual(['164 MB (highest of 1 runs)', '**no**'])
    expect(page).toContain(
      'loads its bundle (`dist/index.js`, 5981 kB: section 5; the artifact client only when it uploads) before its first request: on the report ' +
        'of 1,000 testcases its peak was already 102 MB; the rest'
    )
  })

  it('reports the start-up of the action and of the command on both Node majors, with no target', () => {
    const page = renderBenchmarks(results(2_000_000))
    const startup = page.slice(page.indexOf('## 2. Start-up'), page.indexOf('## 3.'))
    const rows = startup.split('\n').filter(line => /^\| (this action|the command|bare Node)/.test(line))
    expect(
      rows.map(line =>
        line
          .split('|')
          .slice(2, 5)
          .map(cell => cell.trim())
      )
    ).toEqual([
      ['v24.1.2', '3', '300 ms'],
      ['v24.1.2', '3', '180 ms'],
      ['v22.3.4', '3', '240 ms'],
      ['v24.1.2', '3', '90 ms'],
      ['v24.1.2', '3', '40 ms'],
      ['v22.3.4', '3', '95 ms'],
      ['v22.3.4', '3', '45 ms']
    ])
    expect(row(startup, 'the command').at(-1)).toBe('+140 ms')
    expect(startup).toContain(
      "the command's, on Node 24, 180 ms, 120 ms sooner than the action (×0.60), and on Node 22, 240 ms, 60 ms sooner than the action (×0.80)."
    )
    expect(page).not.toMatch(/Start-up within|This action ÷/)
    const targets = page.slice(page.indexOf('## Targets'), page.indexOf('## 1.'))
    expect(
      targets
        .split('\n')
        .filter(line => line.startsWith('| ') && !line.startsWith('| ---'))
        .map(line => line.split('|')[1]!.trim())
    ).toEqual([
      'Target',
      expect.stringContaining('doing the same work'),
      expect.stringContaining("with the action's defaults"),
      'Installed package (the packed tarball installed by npm) at most 3 MiB',
      'Repository download (what the runner fetches for every job that uses the action) under 2 MB',
      '1M testcases: peak RSS under 150 MB',
      '1M testcases: faster than fast-xml-parser, whole document',
      expect.stringContaining('1M testcases: faster than xml2js')
    ])
  })

  it('gives the sizes of both bundles and of the package, and nothing of lazy loading', () => {
    const page = renderBenchmarks(results(2_000_000))
    expect(row(page, 'the action, which action.yml runs')).toEqual([
      'the action, which action.yml runs',
      '`dist/index.js`',
      '5981 kB (5.70 MiB)'
    ])
    expect(row(page, "the command, the package's bin")[2]).toBe('1957 kB (1.87 MiB)')
    expect(row(page, 'the package, packed')[1]).toBe('`crashtest-dast-9.9.9.tgz`')
    expect(row(page, 'the package, installed')).toEqual([
      'the package, installed (2 files)',
      '`node_modules/crashtest-dast/`',
      '**2000 kB (1.91 MiB)**'
    ])
    expect(page).toContain('Installing its tarball added no other package')
    expect(page).not.toMatch(/undici|lazy|loaded on first use|chunk|while the action waits/i)
  })

  it("renders section 6: each way's wall and runner time and ratios, what they mean, and the peak RSS", () => {
    const page = renderBenchmarks(results(2_000_000))
    expect(page.indexOf('## 5. Size')).toBeLessThan(page.indexOf('## 6. Several targets'))
    expect(page.indexOf('## 6. Several targets')).toBeLessThan(page.indexOf('## What keeps'))
    const section = page.slice(page.indexOf('## 6. Several targets'), page.indexOf('## What keeps'))
    expect(row(section, 'one step')).toEqual([
      'one step, the 3 targets as `NAME: WEBHOOK` lines',
      '1',
      '1',
      '3.60 s',
      '3.60 s',
      '1',
      '1'
    ])
    expect(row(section, '3 steps in a row')).toEqual([
      '3 steps in a row, one target each',
      '3',
      '1',
      '7.22 s',
      '7.22 s',
      '×2.01',
      '×2.01'
    ])
    expect(row(section, 'a matrix')).toEqual([
      'a matrix of 3 legs, one target each',
      '3',
      '3',
      '3.70 s',
      '7.99 s',
      '×1.03',
      '×2.22'
    ])
    expect(section).toContain('1 s, 2 s, 3 s, every step polling every 1 s')
    expect(section).toContain('30× shorter than scans of 30 s, 60 s, 90 s polled every 30 s')
    expect(section).toContain(
      'The one step took 3.60 s: its longest scan, 3.00 s, and 0.60 s more, where the scans one after ' +
        'another take 6.00 s; the action waited for the 3 of them side by side. So one step ends 0.10 s ' +
        'sooner than the matrix, and 3.62 s sooner than the steps in a row, while it holds one runner for ' +
        '3.60 s: the steps in a row hold theirs ×2.01 as long, the matrix its 3 runners ×2.22 as long in all.'
    )
    // Legs 1600 − 1400, 2695 − 2400 and 3690 − 3400 ms: the median is 290 ms.
    expect(section).toContain("this machine's 2 cores at once")
    expect(section).toContain("the median leg's step took 290 ms longer than the same target's step in a row")

    expect(section).toContain('### 10 reports at once')
    expect(row(section, '1 |')).toEqual([
      '1',
      '1 × 100,000 testcases (8.8 MiB)',
      '2',
      '0 ms',
      '0.60 s',
      '102 MB',
      ''
    ])
    expect(row(section, '10 |')).toEqual([
      '10',
      '10 × 100,000 testcases (88.3 MiB)',
      '2',
      '240 ms',
      '3.60 s',
      '205 MB',
      '×2.00'
    ])
    expect(section).toContain(
      "With 10 reports arriving at once the step's peak RSS was 205 MB, against 102 MB with one: 11 MB for " +
        'each report beyond the first, where each report is 8.8 MiB (88.3 MiB in all).'
    )
    expect(page).toContain('fewer and shorter scans in section 6')
    expect(page).toContain('and 2 of each step of section 6 whose peak RSS was measured')
  })
})
