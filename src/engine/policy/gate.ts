import { compareWithBaseline, type Baseline, type BaselineComparison } from './baseline.js'
import { isExpired, matches, type Suppression } from './suppressions.js'
import {
  SEVERITIES,
  bySeverityDescending,
  isListedScanner,
  countBySeverity,
  severityRank,
  type Finding,
  type KnownSeverity,
  type SeverityCounts
} from '../report/findings.js'

export type FailOn = KnownSeverity | 'never'

export interface PolicySettings {
  failOn: FailOn
  /** Scanners any of whose findings breaks the rules, whatever its severity (`fail-on-scanners`). */
  failOnScanners?: readonly string[]
  /** Per-severity budgets: the run fails when a count exceeds its budget. */
  maxFindings: Partial<Record<KnownSeverity, number>>
  /** Accepted findings, read from the `suppressions` file before any request. */
  suppressions?: { file: string; entries: Suppression[] }
  /** Only findings not in this earlier report are judged; read from the `baseline` file before any request. */
  baseline?: Baseline
  /** Per target name, its own earlier report (`baseline: auto`); a target without one has no baseline. */
  baselines?: ReadonlyMap<string, Baseline>
}

/** The rules as they apply to one target: with several earlier reports, that target's own. */
export function policyFor(policy: PolicySettings, target: string): PolicySettings {
  if (!policy.baselines) return policy
  const { baselines, ...rules } = policy
  const baseline = baselines.get(target)
  return baseline ? { ...rules, baseline } : rules
}

export type Violation =
  | { rule: 'fail-on'; threshold: KnownSeverity; count: number }
  | { rule: 'fail-on-scanners'; scanners: string[]; count: number }
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
  /** Which rules each finding of `breaking` broke. */
  rulesBrokenBy: ReadonlyMap<Finding, Violation['rule'][]>
  /** The findings the rules judged: all, less the suppressed ones and those the baseline already has. */
  judged: Finding[]
  suppressed: SuppressedFinding[]
  /** Entries past their `expires` date: they suppress nothing any more. */
  expired: ExpiredSuppression[]
  /** Entries in force that matched no finding of this scan. */
  unused: Suppression[]
  /** Present when a baseline was given. */
  baseline?: BaselineComparison
  /** Scanners `fail-on-scanners` lists that have no testcase in the report: a typo, or a check not run. */
  unreportedScanners: string[]
}

/** What a report is judged on. */
export interface Judging {
  findings: readonly Finding[]
  policy: PolicySettings
  /** When suppressions expire against; now by default. */
  now?: Date
  /** The scanners the report shows ran, when known: `fail-on-scanners` names that ran none are told. */
  scanners?: ReadonlySet<string>
}

/**
 * Judges findings by the three rules: `fail-on` (any finding at or above a severity), `fail-on-scanners`
 * (any finding of a listed scanner) and `max-findings` (per-severity budgets). Findings of unknown
 * severity are judged like `high`, so the gate fails closed. `scanners`, those of every
 * testcase, tells which listed scanners the report does not name at all.
 * Findings an entry in force of the suppressions file matches, and findings the baseline already has,
 * are not judged. Pure: `now` decides which entries have expired.
 */
export function judge({
  findings: allFindings,
  policy,
  now = new Date(),
  scanners: reportedScanners
}: Judging): Verdict {
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
  const rulesBrokenBy = new Map<Finding, Violation['rule'][]>()
  const broke = (rule: Violation['rule'], broken: readonly Finding[]): void => {
    for (const finding of broken) rulesBrokenBy.set(finding, [...(rulesBrokenBy.get(finding) ?? []), rule])
  }

  if (policy.failOn !== 'never') {
    const threshold = policy.failOn
    const atOrAbove = findings.filter(f => severityRank(f.severity) >= severityRank(threshold))
    if (atOrAbove.length > 0) {
      violations.push({ rule: 'fail-on', threshold, count: atOrAbove.length })
      broke('fail-on', atOrAbove)
    }
  }
  const listed = policy.failOnScanners ?? []
  if (listed.length > 0) {
    const ofListed = findings.filter(f => listed.some(name => isListedScanner(name, f.scanner)))
    if (ofListed.length > 0) {
      const scanners = listed.filter(name => ofListed.some(f => isListedScanner(name, f.scanner)))
      violations.push({ rule: 'fail-on-scanners', scanners, count: ofListed.length })
      broke('fail-on-scanners', ofListed)
    }
  }
  for (const severity of SEVERITIES) {
    const budget = policy.maxFindings[severity]
    if (budget === undefined) continue
    const counted = findings.filter(f => judgedSeverity(f) === severity)
    if (counted.length > budget) {
      violations.push({ rule: 'max-findings', severity, count: counted.length, budget })
      broke('max-findings', counted)
    }
  }
  return {
    passed: violations.length === 0,
    counts,
    violations,
    breaking: [...rulesBrokenBy.keys()].sort(bySeverityDescending),
    rulesBrokenBy,
    judged: findings,
    suppressed,
    expired,
    unused: inForce.filter(entry => !used.has(entry)),
    ...(baseline && { baseline }),
    unreportedScanners: reportedScanners
      ? listed.filter(name => ![...reportedScanners].some(scanner => isListedScanner(name, scanner)))
      : []
  }
}

/** The severity a finding counts as in budgets: its own, or `high` when unknown. */
function judgedSeverity(finding: Finding): KnownSeverity {
  return finding.severity === 'unknown' ? 'high' : finding.severity
}

export function describeViolation(violation: Violation): string {
  const noun = violation.count === 1 ? 'finding' : 'findings'
  if (violation.rule === 'fail-on') {
    return `fail-on: ${violation.threshold} — ${violation.count} ${noun} of severity ${violation.threshold} or worse`
  }
  if (violation.rule === 'fail-on-scanners') {
    const names = violation.scanners.join(', ')
    return `fail-on-scanners: ${names} — ${violation.count} ${noun} of ${violation.scanners.length === 1 ? 'that scanner' : 'those scanners'}, whatever the severity`
  }
  return `max-findings: ${violation.severity}=${violation.budget} — ${violation.count} ${violation.severity} findings exceed the budget of ${violation.budget}`
}

export function describePolicy(policy: PolicySettings): string {
  const rules: string[] = [policy.failOn === 'never' ? 'fail-on: never' : `fail-on: ${policy.failOn}`]
  const budgets = SEVERITIES.filter(s => policy.maxFindings[s] !== undefined).map(
    s => `${s}=${policy.maxFindings[s]}`
  )
  if (budgets.length > 0) rules.push(`max-findings: ${budgets.join(', ')}`)
  if (policy.failOnScanners?.length) rules.push(`fail-on-scanners: ${policy.failOnScanners.join(', ')}`)
  if (policy.suppressions) {
    const { file, entries } = policy.suppressions
    rules.push(`suppressions: ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} in ${file}`)
  }
  if (policy.baseline) {
    const { file, findings, run } = policy.baseline
    rules.push(
      `baseline: only findings not among the ${findings.length} of ${run ? `run ${run.id}'s ` : ''}${file}`
    )
  } else if (policy.baselines && policy.baselines.size > 0) {
    const runs = [...new Set([...policy.baselines.values()].map(b => b.run?.id ?? b.file))]
    rules.push(`baseline: each target's report of run ${runs.join(', ')}`)
  }
  return rules.join('; ')
}
