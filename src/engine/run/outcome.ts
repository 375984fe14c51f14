import type { Verdict } from '../policy/gate.js'
import type { ScanReport } from '../report/findings.js'

export type Result = 'passed' | 'failed' | 'error' | 'timeout' | 'started'

/** Everything known about one target's scan so far. */
export interface TargetOutcome {
  /** The target's name (`target-1` when the webhook line names none). */
  name: string
  result: Result
  scanId?: string
  statusCode?: number
  /** Set once the report is on disk. */
  reportPath?: string
  report?: ScanReport
  /** Set once the findings file (every finding with its fingerprint) is on disk beside the report. */
  findingsPath?: string
  verdict?: Verdict
  waitedMs?: number
  /** What went wrong (error, timeout), in words fit for the log and the summary. */
  message?: string
}

/** The whole run: every target's outcome, and the files made from all of them; what front ends publish. */
export interface RunOutcome {
  /** The worst of the targets' results. */
  result: Result
  targets: TargetOutcome[]
  /** Set once the SARIF file is on disk. */
  sarifPath?: string
  /** Set once the GitLab DAST report is on disk. */
  gitlabReportPath?: string
}

/** What a result does to the build or the step: it passes, passes with a warning, or fails. */
export type Conclusion = 'pass' | 'warn' | 'fail'

/**
 * The one place that decides it, for both front ends: a scan that broke the rules or could not be
 * completed fails; a time-out fails, or only warns with `on-timeout: warn`; the rest passes.
 */
export function conclusionOf(result: Result, onTimeout: 'fail' | 'warn'): Conclusion {
  switch (result) {
    case 'passed':
    case 'started':
      return 'pass'
    case 'timeout':
      return onTimeout === 'warn' ? 'warn' : 'fail'
    case 'failed':
    case 'error':
      return 'fail'
  }
}

// Worst first: a target that could not be completed outweighs one that timed out, and so on.
const SEVERITY_OF_RESULT: readonly Result[] = ['error', 'timeout', 'failed', 'started', 'passed']

/** `error` if any target could not be completed, else `timeout`, else `failed`, else `started` or `passed`. */
export function worstResult(results: readonly Result[]): Result {
  return SEVERITY_OF_RESULT.find(result => results.includes(result)) ?? 'error'
}
