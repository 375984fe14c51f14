// The benchmark's parts (`npm run bench` itself takes minutes and needs bash, curl and jq): its reports,
// its arithmetic, its measurements run small against the simulator, and a page rendered from given numbers.
import { execFileSync, spawnSync } from 'node:child_process'
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startArtifactService, type ArtifactService } from '../simulator/artifact-service.js'
import { startSimulator, type Simulator } from '../simulator/webhook-api.js'
import { writeJunitReport } from '../scripts/bench/junit-file.js'
import {
  expectedOverhead,
  minimumRequests,
  overheadOf,
  processing,
  runnerTime,
  severalTargets,
  STARTUP_PROCESSES,
  startupOf,
  wallTime,
  type Bench,
  type OverheadSample
} from '../scripts/bench/measure.js'
import { packageSize, runCommand, WHOLE_DOCUMENT } from '../scripts/bench/processes.js'
import { renderBenchmarks, type Results } from '../scripts/bench/render.js'
import { parseJunitReport } from '../src/engine/report/junit.js'
import { installedPackage, nodeBinaryPath } from './cli/harness.js'

const folder = mkdtempSync(join(tmpdir(), 'bench-test-'))
let simulator: Simulator
let artifactService: ArtifactService
let bench: Bench
beforeAll(async () => {
  simulator = await startSimulator()
  artifactService = await startArtifactService()
  bench = { simulator, artifactService, log: () => undefined }
})
afterAll(async () => {
  await Promise.all([simulator.close(), artifactService.close()])
  rmSync(folder, { recursive: true, force: true })
})

describe('the benchmark reports', () => {
  it('hold what their shape says, for the action and for both whole-document parsers', async () => {
    const shape = await writeJunitReport(join(folder, 'report.xml'), 5000)
    expect(shape).toMatchObject({ testcases: 5000, failures: 133, findings: 107 })
    const report = await parseJunitReport(createReadStream(shape.path))
    expect(report.testcases).toBe(shape.testcases)
    expect(report.findings.length).toBe(shape.findings)
    expect(report.findings.length + report.scannerErrors.length + report.skippedChecks.length).toBe(
      shape.failures
    )
    for (const parser of ['xml2js', 'fast-xml-parser']) {
      const child = spawnSync(process.execPath, [WHOLE_DOCUMENT, parser, shape.path], { encoding: 'utf8' })
      expect(child.stdout.split('\n').filter(Boolean)).toEqual([
        'ready',
        JSON.stringify({ testcases: shape.testcases, failures: shape.failures })
      ])
    }
  })
})

describe('the arithmetic', () => {
  const sample = (intervalMs: number): OverheadSample => ({
    tool: 'ours',
    scanMs: 2500,
    intervalMs,
    overheadMs: 700,
    pollSpacingMs: intervalMs + 10,
    afterEndMs: 30,
    requests: 6
  })

  it('expects half the poll spacing plus the time after the end, at full scale what the interval scales to', () => {
    expect(expectedOverhead(sample(1000), 1)).toBe(505 + 30)
    // Scaled 30×: the interval becomes 30 s, the 10 ms each poll cost beyond it does not scale.
    expect(expectedOverhead(sample(1000), 30)).toBe(15_005 + 30)
  })

  it('counts the fewest requests that can see a scan end: start, one per interval begun, report', () => {
    expect(minimumRequests(2500, 1000)).toBe(5)
    expect(minimumRequests(3000, 1000)).toBe(5)
    expect(minimumRequests(200_000, 60_000)).toBe(6)
  })

  it('takes wall time from the first start to the last end, and sums runner time over the runners', () => {
    const inRow = [
      { runner: 0, spawnedAt: 100, closedAt: 1500 },
      { runner: 0, spawnedAt: 1510, closedAt: 3900 }
    ]
    expect([wallTime(inRow), runnerTime(inRow)]).toEqual([3800, 3800])
    const matrix = [
      { runner: 0, spawnedAt: 100, closedAt: 1500 },
      { runner: 1, spawnedAt: 120, closedAt: 2600 },
      { runner: 2, spawnedAt: 90, closedAt: 3700 }
    ]
    expect([wallTime(matrix), runnerTime(matrix)]).toEqual([3610, 1400 + 2480 + 3610])
  })
})

describe('the measurements, small', () => {
  it('runs the command with the Node of its run first on PATH and nothing else of this environment', async () => {
    // /usr/bin/env in place of the bin shows what the bin's `#!/usr/bin/env node` finds, and the environment.
    const env = { tarball: '', prefix: '', bin: '/usr/bin/env' }
    const version = await runCommand(env, nodeBinaryPath(22), ['node', '--version'], folder, {})
    expect(version.stdout.trim()).toMatch(/^v22\.\d+\.\d+$/)
    const printed = await runCommand(env, nodeBinaryPath(24), [], folder, { CRASHTEST_WEBHOOK: 'w' })
    const names = printed.stdout
      .split('\n')
      .filter(Boolean)
      .map(line => line.split('=')[0])
    expect(names.sort()).toEqual(['CRASHTEST_WEBHOOK', 'HOME', 'LANG', 'PATH'])
  })

  it('measures what the installed package holds, as tar lists the tarball', () => {
    const installed = installedPackage()
    const size = packageSize(installed)
    const listed = execFileSync('tar', ['-tzvf', installed.tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(line => line.startsWith('-'))
      .map(line => {
        const fields = line.trim().split(/\s+/)
        return { path: fields.at(-1)!.replace(/^package\//, ''), bytes: Number(fields[2]) }
      })
    const byPath = (a: { path: string }, b: { path: string }): number => a.path.localeCompare(b.path)
    expect([...size.files].sort(byPath)).toEqual(listed.sort(byPath))
    expect(size.installedBytes).toBe(listed.reduce((total, file) => total + file.bytes, 0))
    expect(size.installedPackages).toEqual(['crashtest-dast'])
  })

  it('times the start-up of the action, of the command on Node 22 and 24, and of bare Node', async () => {
    const context = {
      bench,
      nodes: { 22: nodeBinaryPath(22), 24: nodeBinaryPath(24) },
      command: installedPackage(),
      folder
    }
    expect(STARTUP_PROCESSES).toHaveLength(7)
    for (const measured of STARTUP_PROCESSES) {
      const before = simulator.requests.length
      const sample = await startupOf(context, measured)
      expect(sample).toEqual({ ...measured, startupMs: expect.any(Number) })
      expect(sample.startupMs).toBeGreaterThan(0)
      const requests = simulator.requests.slice(before)
      expect(requests[0]!.method).toBe('POST')
      // The action and the command run the scan to its verdict: the report is asked for.
      const scanned = measured.starter === 'action' || measured.starter === 'command'
      expect(requests.some(r => r.path.endsWith('/report/junit'))).toBe(scanned)
    }
  }, 120_000)

  it("measures the action's overhead from the simulator's record of its requests", async () => {
    const sample = await overheadOf(bench, 'ours-report-only', 1500, 1000)
    expect(sample.requests).toBe(minimumRequests(1500, 1000) + 1)
    expect(sample.pollSpacingMs).toBeGreaterThanOrEqual(1000)
    expect(sample.afterEndMs).toBeLessThan(sample.overheadMs + 1000)
    expect(sample.overheadMs).toBeGreaterThan(0)
  }, 30_000)

  it('times the action on one report and on two at once, against a whole-document parser', async () => {
    const plan = {
      folder,
      sizes: [
        { testcases: 2000, reports: 1, ours: 1, whole: 1 },
        { testcases: 2000, reports: 2, ours: 1, whole: 0 }
      ]
    }
    const samples = await processing(bench, plan)
    expect(samples.map(s => [s.processor, s.reports])).toEqual([
      ['ours', 1],
      ['fast-xml-parser', 1],
      ['xml2js', 1],
      ['ours', 2]
    ])
    for (const sample of samples) {
      expect(sample.timeMs).toBeGreaterThan(0)
      expect(sample.peakRssBytes).toBeGreaterThan(20e6)
    }
    expect(samples[3]!.spreadMs).toBeGreaterThanOrEqual(0)
  }, 60_000)

  it('scans the targets side by side in one step, and one per leg in a matrix started at once', async () => {
    const plan = { scanLengthsMs: [1000, 2000, 3000], intervalMs: 1000, factor: 30 }
    const [one, matrix] = (await severalTargets(bench, plan, ['one-step', 'matrix'])).map(s => s.steps)
    expect(one!.map(s => s.runner)).toEqual([0])
    // Side by side: the one step lasts longer than its longest scan, less than the scans one after another.
    expect(wallTime(one!)).toBeGreaterThan(3000)
    expect(wallTime(one!)).toBeLessThan(6000)
    expect(matrix!.map(s => s.runner)).toEqual([0, 1, 2])
    const spawned = matrix!.map(s => s.spawnedAt)
    expect(Math.max(...spawned) - Math.min(...spawned)).toBeLessThan(1000)
    expect(runnerTime(matrix!)).toBeGreaterThan(6000)
    expect(runnerTime(one!)).toBeLessThan(runnerTime(matrix!))
  }, 60_000)
})

describe('the page', () => {
  const overhead = (
    tool: OverheadSample['tool'],
    intervalMs: number,
    afterEndMs: number
  ): OverheadSample => ({
    tool,
    scanMs: 2500,
    intervalMs,
    overheadMs: 500,
    pollSpacingMs: intervalMs + 10,
    afterEndMs,
    requests: 6
  })
  const processed = (processor: 'ours' | 'xml2js' | 'fast-xml-parser', timeMs: number, reports = 1) => ({
    processor,
    testcases: 1e6,
    reports,
    bytes: 90e6,
    timeMs,
    peakRssBytes: 140e6 * reports,
    ...(reports > 1 ? { spreadMs: 240 } : {})
  })

  function results(installedBytes: number, bigRssBytes = 140e6): Results {
    return {
      quick: true,
      machine: { date: '2026-01-01T00:00:00Z', rows: [['CPU', 'Test CPU, 2 cores']] },
      durationMs: 65_000,
      bundle: { action: 2_071_000, command: 1_957_003 },
      download: {
        bytes: 1_420_000,
        distBytes: 1_300_000,
        commit: 'a7b7de4f0c1e2d3b4a5968778695a4b3c2d1e0f9'
      },
      package: {
        tarballName: 'crashtest-dast-9.9.9.tgz',
        tarballBytes: 480_000,
        installedBytes,
        files: [{ path: 'dist/cli/index.js', bytes: installedBytes }],
        installedPackages: ['crashtest-dast']
      },
      sameInterval: {
        tools: { recipe: 1000, ours: 1000, 'ours-report-only': 1000 },
        scanLengthsMs: [2500],
        factor: 1,
        samples: [
          overhead('recipe', 1000, 40),
          overhead('ours', 1000, 150),
          overhead('ours-report-only', 1000, 20)
        ]
      },
      defaults: {
        tools: { recipe: 60_000, ours: 30_000 },
        scanLengthsMs: [200_000],
        factor: 30,
        samples: [overhead('recipe', 2000, 40), overhead('ours', 1000, 150)]
      },
      startup: {
        repetitions: 1,
        samples: STARTUP_PROCESSES.map((p, index) => ({ ...p, startupMs: 100 + 10 * index }))
      },
      processing: [
        { ...processed('ours', 2000), peakRssBytes: bigRssBytes },
        processed('fast-xml-parser', 3400),
        processed('xml2js', 7000),
        processed('ours', 5000, 10)
      ],
      several: {
        scanLengthsMs: [1000, 2000],
        intervalMs: 1000,
        factor: 30,
        ways: [
          { way: 'one-step', steps: [{ runner: 0, spawnedAt: 0, closedAt: 2500 }] },
          {
            way: 'matrix',
            steps: [
              { runner: 0, spawnedAt: 0, closedAt: 1500 },
              { runner: 1, spawnedAt: 10, closedAt: 2610 }
            ]
          }
        ]
      }
    }
  }

  /** The cells of the table row whose first non-empty cell starts with `start`. */
  function row(page: string, start: string): string[] {
    const line = page.split('\n').find(l => l.replace(/^(\|\s*)+/, '').startsWith(start))
    if (!line) throw new Error(`no row starting with ${start}`)
    return line
      .split('|')
      .slice(1, -1)
      .map(cell => cell.trim())
  }

  it('judges every target from the numbers it is given', () => {
    const met = renderBenchmarks(results(3 * 2 ** 20))
    expect(row(met, 'Installed package')).toEqual(['Installed package at most 3 MiB', '3.00 MiB', 'yes'])
    expect(row(met, 'Repository download').slice(1)).toEqual(['1.42 MB', 'yes'])
    expect(row(met, '1M testcases: peak RSS').slice(1)).toEqual(['140 MB', 'yes'])
    expect(row(met, '1M testcases: faster than xml2js').slice(1)).toEqual(['2.00 s vs 7.00 s', 'yes'])
    // Expected overhead at the same interval: 505 ms + 20 ms against the recipe's 505 ms + 40 ms.
    expect(
      row(met, "Expected overhead below the recipe's at the same interval: this action, `upload").slice(1)
    ).toEqual(['525 ms vs 545 ms', 'yes'])
    expect(
      row(met, "Expected overhead below the recipe's at the same interval: this action, defaults").slice(1)
    ).toEqual(['655 ms vs 545 ms', '**no**'])
    const missed = renderBenchmarks(results(3 * 2 ** 20 + 1, 151e6))
    expect(row(missed, 'Installed package').at(-1)).toBe('**no**')
    expect(row(missed, '1M testcases: peak RSS').slice(1)).toEqual(['151 MB', '**no**'])
  })

  it('says nothing the numbers do not: no explanation of a miss', () => {
    const page = renderBenchmarks(results(3 * 2 ** 20 + 1, 151e6))
    expect(page).not.toMatch(/because|Missed in this run|why/i)
  })

  it('scales the expected overhead back to full scale and counts the requests', () => {
    const page = renderBenchmarks(results(1e6))
    const defaults = page.slice(page.indexOf("### Each tool's default interval"))
    // 60 s of the recipe: (60 000 + 10) / 2 + 40 ms; 30 s of the action: (30 000 + 10) / 2 + 150 ms.
    expect(row(defaults, 'documented shell recipe').slice(1, 2)).toEqual(['60 s → 2.00 s'])
    expect(row(defaults, 'documented shell recipe')[6]).toBe('**30.0 s**')
    expect(row(defaults, 'this action, defaults')[6]).toBe('**15.2 s**')
    expect(row(defaults, 'this action, defaults')[7]).toBe('×0.50')
    expect(row(page, 'this action, defaults')[8]).toBe(`6 (${minimumRequests(2500, 1000)})`)
  })

  it('gives start-up, processing, sizes and several targets from their samples', () => {
    const page = renderBenchmarks(results(2_000_000))
    expect(row(page, 'this action (dist/index.js').slice(1, 4)).toEqual(['24', '1', '100 ms'])
    // 110 ms, above bare http.request on Node 24 (the sixth process, 150 ms).
    expect(row(page, 'the command').at(-1)).toBe('−40 ms')
    expect(row(page, '10 × 1,000,000')).toEqual([
      '10 × 1,000,000',
      '858.3 MiB',
      'this action, the 10 reports at once (asked for within 240 ms)',
      '1',
      '5.00 s',
      '1400 MB',
      '×2.5',
      '×10.0'
    ])
    expect(row(page, 'xml2js').slice(4)).toEqual(['7.00 s', '140 MB', '×3.5', '×1.0'])
    expect(row(page, 'the package, installed').at(-1)).toBe('**2000 kB (1.91 MiB)**')
    expect(row(page, 'a matrix of 2 legs')).toEqual([
      'a matrix of 2 legs, one target each',
      '2',
      '2',
      '2.61 s',
      '4.10 s',
      '×1.04',
      '×1.64'
    ])
  })
})
