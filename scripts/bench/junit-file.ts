// Big JUnit reports in the simulator's shape, written line by line so that a million testcases never sit
// in memory; the failures keep the share of the documented example report (440 of 16,553 testcases).
import { once } from 'node:events'
import { createWriteStream, statSync } from 'node:fs'
import { junitReportLines } from '../../simulator/junit.js'
import { DEMO_FINDINGS } from '../../simulator/webhook-api.js'

/** `failures`: <failure> elements (findings, scanner errors, skipped checks); `findings`: vulnerabilities. */
export type ReportShape = {
  path: string
  bytes: number
  testcases: number
  failures: number
  findings: number
}

/**
 * Writes the report to `path`: the demo findings in turn, each on a page of its own under `/site/`, so
 * that no two are alike and another `site` makes another target's findings.
 */
export async function writeJunitReport(path: string, testcases: number, site = 'app'): Promise<ReportShape> {
  const failures = Math.round((testcases * 440) / 16553)
  const findings = Array.from({ length: failures }, (_, index) => {
    const demo = DEMO_FINDINGS[index % DEMO_FINDINGS.length]!
    return { ...demo, message: `${demo.message} (page /${site}/${index})` }
  })
  const file = createWriteStream(path)
  let batch: string[] = []
  for (const line of junitReportLines(findings, testcases - failures)) {
    batch.push(line)
    if (batch.length < 10_000) continue
    if (!file.write(`${batch.join('\n')}\n`)) await once(file, 'drain')
    batch = []
  }
  file.end(batch.join('\n'))
  await once(file, 'finish')
  const vulnerabilities = findings.filter(f => !['error', 'skipped'].includes(f.severity)).length
  return { path, bytes: statSync(path).size, testcases, failures, findings: vulnerabilities }
}
