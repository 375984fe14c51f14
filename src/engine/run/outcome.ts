import type { Verdict } from '../policy/gate.js'
import type { ScanReport } from '../report/findings.js'

export type Result = 'passed' | 'failed' | 'error' | 'timeout' | 'started'

/** Everything known about the run so far; every front end publishes from it. */
export interface RunOutcome {
  result: Result
  scanId?: string
  statusCode?: number
  /** Set once the report is on disk. */
  reportPath?: string
  report?: ScanReport
  /** Set once the findings file (every finding with its fingerprint) is on disk beside the report. */
  findingsPath?: string
  /** Set once the SARIF file is on disk. */
  sarifPath?: string
  /** Set once the GitLab DAST report is on disk. */
  gitlabReportPath?: string
  verdict?: Verdict
  waitedMs?: number
  /** What went wrong (error, timeout), in words fit for the log and the summary. */
  message?: string
}
