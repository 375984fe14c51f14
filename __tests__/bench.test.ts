// The benchmark's own pieces (npm run bench is not part of the test suite: it takes minutes and needs
// bash, curl and jq). These keep its report files and its comparison honest.
import { spawnSync } from 'node:child_process'
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { checkShape, writeJunitReport } from '../scripts/bench/junit-file.js'
import { WHOLE_DOCUMENT } from '../scripts/bench/measure.js'
import { minimumRequests, spreadScanLengths } from '../scripts/bench/overhead.js'
import { parseJunitReport } from '../src/report/junit.js'

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
