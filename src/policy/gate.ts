import type { PolicySettings } from '../inputs/settings.js'
import {
  SEVERITIES,
  bySeverityDescending,
  countBySeverity,
  severityRank,
  type Finding,
  type KnownSeverity,
  type SeverityCounts
} from '../report/findings.js'

export type Violation =
  | { rule: 'fail-on'; threshold: KnownSeverity; count: number }
  | { rule: 'max-findings'; severity: KnownSeverity; count: number; budget: number }

export interface Verdict {
  passed: boolean
  counts: SeverityCounts
  violations: Violation[]
  /** The findings that broke a rule, most severe first. */
  breaking: Finding[]
}

/**
 * Judges findings by the two rules: `fail-on` (any finding at or above a severity) and `max-findings`
 * (per-severity budgets). Findings of unknown severity are judged like `high`, so the gate fails closed.
 */
export function judge(findings: readonly Finding[], policy: PolicySettings): Verdict {
  const counts = countBySeverity(findings)
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
    breaking: [...breaking].sort(bySeverityDescending)
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
  return rules.join('; ')
}
