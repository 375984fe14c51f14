import { compareWithBaseline, type Baseline, type BaselineComparison } from './baseline.js'
import { isExpired, matches, type Suppression } from './suppressions.js'
import {
  SEVERITIES,
  bySeverityDescending,
  countBySeverity,
  severityRank,
  type Finding,
  type KnownSeverity,
  type SeverityCounts
} from '../report/findings.js'

export type FailOn = KnownSeverity | 'never'

export interface PolicySettings {
  failOn: FailOn
  /** Per-severity budgets: the run fails when a count exceeds its budget. */
  maxFindings: Partial<Record<KnownSeverity, number>>
  /** Accepted findings, read from the `suppressions` file before any request. */
  suppressions?: { file: string; entries: Suppression[] }
  /** Only findings not in this earlier report are judged; read from the `baseline` file before any request. */
  baseline?: Baseline
}

export type Violation =
  | { rule: 'fail-on'; threshold: KnownSeverity; count: number }
  | { rule: 'max-findings'; severity: KnownSeverity; count: number; budget: number }

export interface SuppressedFinding {
  finding: Finding
  /** The first entry of the file that matches it. */
  by: Suppression
}

export interface ExpiredSuppression {
  entry: Suppression
  /** Findings of this scan it would match if it had not expired. */
  wouldMatch: number
}

export interface Verdict {
  passed: boolean
  /** All findings of the report, by severity. */
  counts: SeverityCounts
  violations: Violation[]
  /** The findings that broke a rule, most severe first. */
  breaking: Finding[]
  /** The findings the rules judged: all, less the suppressed ones and those the baseline already has. */
  judged: Finding[]
  suppressed: SuppressedFinding[]
  /** Entries past their `expires` date: they suppress nothing any more. */
  expired: ExpiredSuppression[]
  /** Entries in force that matched no finding of this scan. */
  unused: Suppression[]
  /** Present when a baseline was given. */
  baseline?: BaselineComparison
}

/**
 * Judges findings by the two rules: `fail-on` (any finding at or above a severity) and `max-findings`
 * (per-severity budgets). Findings of unknown severity are judged like `high`, so the gate fails closed.
 * Findings an entry in force of the suppressions file matches, and findings the baseline already has,
 * are not judged. Pure: `now` decides which entries have expired.
 */
export function judge(allFindings: readonly Finding[], policy: PolicySettings, now = new Date()): Verdict {
  const counts = countBySeverity(allFindings)
  const entries = policy.suppressions?.entries ?? []
  const inForce = entries.filter(entry => !isExpired(entry, now))
  const expired = entries
    .filter(entry => isExpired(entry, now))
    .map(entry => ({ entry, wouldMatch: allFindings.filter(f => matches(entry, f)).length }))
  const used = new Set<Suppression>()
  const suppressed: SuppressedFinding[] = []
  const unsuppressed: Finding[] = []
  for (const finding of allFindings) {
    const matching = inForce.filter(entry => matches(entry, finding))
    matching.forEach(entry => used.add(entry))
    if (matching[0]) suppressed.push({ finding, by: matching[0] })
    else unsuppressed.push(finding)
  }
  const baseline = policy.baseline ? compareWithBaseline(allFindings, policy.baseline) : undefined
  const isNew = new Set(baseline?.new ?? allFindings)
  const findings = unsuppressed.filter(f => isNew.has(f))

  const violations: Violation[] = []
  const breaking = new Set<Finding>()

  if (policy.failOn !== 'never') {
    const threshold = policy.failOn
    const atOrAbove = findings.filter(f => severityRank(f.severity) >= severityRank(threshold))
    if (atOrAbove.length > 0) {
      violations.push({ rule: 'fail-on', threshold, count: atOrAbove.length })
      atOrAbove.forEach(f => breaking.add(f))
    }
  }
  for (const severity of SEVERITIES) {
    const budget = policy.maxFindings[severity]
    if (budget === undefined) continue
    const counted = findings.filter(f => judgedSeverity(f) === severity)
    if (counted.length > budget) {
      violations.push({ rule: 'max-findings', severity, count: counted.length, budget })
      counted.forEach(f => breaking.add(f))
    }
  }
  return {
    passed: violations.length === 0,
    counts,
    violations,
    breaking: [...breaking].sort(bySeverityDescending),
    judged: findings,
    suppressed,
    expired,
    unused: inForce.filter(entry => !used.has(entry)),
    ...(baseline && { baseline })
  }
}

/** The severity a finding counts as in budgets: its own, or `high` when unknown. */
export function judgedSeverity(finding: Finding): KnownSeverity {
  return finding.severity === 'unknown' ? 'high' : finding.severity
}

export function describeViolation(violation: Violation): string {
  if (violation.rule === 'fail-on') {
    const noun = violation.count === 1 ? 'finding' : 'findings'
    return `fail-on: ${violation.threshold} — ${violation.count} ${noun} of severity ${violation.threshold} or worse`
  }
  return `max-findings: ${violation.severity}=${violation.budget} — ${violation.count} ${violation.severity} findings exceed the budget of ${violation.budget}`
}

export function describePolicy(policy: PolicySettings): string {
  const rules: string[] = [policy.failOn === 'never' ? 'fail-on: never' : `fail-on: ${policy.failOn}`]
  const budgets = SEVERITIES.filter(s => policy.maxFindings[s] !== undefined).map(
    s => `${s}=${policy.maxFindings[s]}`
  )
  if (budgets.length > 0) rules.push(`max-findings: ${budgets.join(', ')}`)
  if (policy.suppressions) {
    const { file, entries } = policy.suppressions
    rules.push(`suppressions: ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} in ${file}`)
  }
  if (policy.baseline) {
    const { file, findings } = policy.baseline
    rules.push(`baseline: only findings not among the ${findings.length} of ${file}`)
  }
  return rules.join('; ')
}
