import { basename, dirname, extname, join } from 'node:path'
import type { Verdict } from '../policy/gate.js'
import type { Suppression } from '../policy/suppressions.js'
import { bySeverityDescending, type Finding, type ScanReport } from '../report/findings.js'
import { prettyJsonPieces } from './json-text.js'

/** The findings file sits beside the report: `crashtest-report.xml` → `crashtest-report.findings.json`. */
export function findingsFilePath(reportPath: string): string {
  return join(dirname(reportPath), `${basename(reportPath, extname(reportPath))}.findings.json`)
}

/**
 * Every finding of the report as JSON, with its fingerprint and how the gate treated it, for people
 * and tools to copy from (the fingerprint into a suppressions file). Made one finding at a time. Pure.
 */
export function renderFindingsFile(report: ScanReport, verdict: Verdict): Generator<string> {
  const suppressedBy = new Map(verdict.suppressed.map(s => [s.finding, s.by]))
  const breaking = new Set(verdict.breaking)
  const fresh = new Set(verdict.baseline?.new)
  const document = {
    findings: [],
    ...(verdict.baseline && { fixed: verdict.baseline.fixed.map(describe) }),
    expiredSuppressions: verdict.expired.map(e => ({ ...entry(e.entry), wouldMatch: e.wouldMatch })),
    unusedSuppressions: verdict.unused.map(u => entry(u))
  }
  const findings = function* () {
    for (const finding of [...report.findings].sort(bySeverityDescending)) {
      yield {
        ...describe(finding),
        suppressedBy: entry(suppressedBy.get(finding)),
        ...(verdict.baseline && { baseline: fresh.has(finding) ? 'new' : 'still present' }),
        breaksRule: breaking.has(finding)
      }
    }
  }
  return prettyJsonPieces(document, ['findings'], findings())
}

function describe(finding: Finding) {
  return {
    fingerprint: finding.fingerprint,
    severity: finding.severity,
    ...(finding.severity === 'unknown' && { reportedType: finding.reportedType }),
    scanner: finding.scanner,
    title: finding.title,
    url: finding.url ?? null,
    parameter: finding.parameter ?? null,
    message: finding.message
  }
}

function entry(suppression: Suppression | undefined) {
  if (!suppression) return null
  return { line: suppression.line, reason: suppression.reason, expires: suppression.expires ?? null }
}
