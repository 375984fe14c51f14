import {
  describePolicy,
  policyFor,
  describeViolation,
  type PolicySettings,
  type Verdict
} from '../engine/policy/gate.js'
import { describeChange, type BaselineComparison } from '../engine/policy/baseline.js'
import { describeSuppression } from '../engine/policy/suppressions.js'
import {
  bySeverityDescending,
  countBySeverity,
  type Finding,
  type ScannerNote,
  type Severity
} from '../engine/report/findings.js'
import { formatDuration } from '../engine/log/durations.js'
import { NO_CHECKS } from '../engine/run/run-scan.js'
import { escapeCell, table } from './markdown.js'
import type { Result, TargetOutcome } from '../engine/run/outcome.js'
import type { ActionOutcome, UploadedArtifact } from './artifact.js'
import type { IssueResults } from './issues.js'

/** Rows and bytes kept far below the 1 MiB GitHub accepts for a step's summary. */
export const MAX_FINDING_ROWS = 200
export const MAX_SUMMARY_CHARS = 256 * 1024

const HEADLINES: Record<Result, string> = {
  passed: '✅ Crashtest DAST scan passed',
  failed: '❌ Crashtest DAST scan failed',
  error: '⚠️ Crashtest DAST scan could not be completed',
  timeout: '⏱️ Crashtest DAST scan timed out',
  started: '🚀 Crashtest DAST scan started'
}

const RESULT_LABELS: Record<Result, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  error: '⚠️ could not be completed',
  timeout: '⏱️ timed out',
  started: '🚀 started'
}

const SEVERITY_LABELS: Record<Severity, string> = {
  critical: '🟥 Critical',
  high: '🟧 High',
  medium: '🟨 Medium',
  low: '🟦 Low',
  info: '⬜ Info',
  unknown: '❔ Unknown (judged as high)'
}

/** How much one rendering shows; the sections and the way each finding is rendered are the same. */
interface Layout {
  maxFindingRows: number
  /** Where the findings that are cut off can be found, ending the sentence "N more findings are not shown here; …". */
  elsewhere: string
  /** The baseline comparison, the suppressions, scanner errors and skipped checks. */
  details: boolean
  /** The level of the target's headline: 2, or 3 below the run's headline when there are several targets. */
  level?: number
}

/** Findings listed in a pull-request comment; the job summary lists up to MAX_FINDING_ROWS. */
export const COMMENT_FINDING_ROWS = 10

/** The job summary as Markdown. Pure, so the same text can be shown elsewhere. */
export function renderSummary(outcome: ActionOutcome, policy: PolicySettings): string {
  const run = renderRun(outcome, policy, {
    maxFindingRows: MAX_FINDING_ROWS,
    elsewhere: 'the report artifact has all of them',
    details: true
  })
  return outcome.issues ? `${run}\n${issuesSection(outcome.issues)}\n` : run
}

/** The issues the run touched, linked; and how many findings the limit left without one. */
function issuesSection(issues: IssueResults): string {
  const lines = [
    ...issues.opened.map(issue => ['Opened', issue] as const),
    ...issues.reopened.map(issue => ['Reopened', issue] as const),
    ...issues.closed.map(issue => ['Closed', issue] as const)
  ].map(([what, issue]) => `- ${what} [#${issue.number}](${issue.url}): ${escapeCell(issue.title, 200)}`)
  if (issues.withoutIssue > 0) {
    lines.push(
      `- ${issues.withoutIssue} more ${issues.withoutIssue === 1 ? 'finding has' : 'findings have'} no issue yet (\`issue-limit\`); later runs open them.`
    )
  }
  return `### Issues\n\n${lines.length > 0 ? lines.join('\n') : 'No issue was opened, reopened or closed.'}`
}

export interface CommentContext {
  /** The workflow run that scanned, linked from the comment. */
  runUrl?: string
  /** Which workflow, job and key the comment belongs to, when several scans comment on one pull request. */
  origin?: string
}

/**
 * The pull-request comment: the job summary's verdict, counts and findings rendered the same way, but
 * only the top COMMENT_FINDING_ROWS findings and no scanner notes, and a line naming the run.
 */
export function renderComment(
  outcome: ActionOutcome,
  policy: PolicySettings,
  context: CommentContext = {}
): string {
  const run = context.runUrl ? `the job summary of the [workflow run](${context.runUrl})` : 'the job summary'
  const body = renderRun(outcome, policy, {
    maxFindingRows: COMMENT_FINDING_ROWS,
    elsewhere: `${run} and the report artifact have all of them`,
    details: false
  })
  const about = [
    'Crashtest DAST scan',
    context.origin && escapeCell(context.origin, 200),
    context.runUrl && `[workflow run](${context.runUrl})`
  ]
  return `${body}\n<sub>${about.filter(Boolean).join(' · ')}. Later runs update this comment.</sub>\n`
}

/** One target as the run itself; several under one headline, a table of them, then a section each. */
function renderRun(run: ActionOutcome, policy: PolicySettings, layout: Layout): string {
  const [only] = run.targets
  if (only && run.targets.length === 1) return renderTarget(only, policy, layout, run.artifact)
  const rows = run.targets.map(target => [
    escapeCell(target.name, 100),
    RESULT_LABELS[target.result],
    target.scanId ? escapeCell(target.scanId) : '',
    target.report ? String(target.report.findings.length) : '',
    target.verdict ? String(target.verdict.breaking.length) : ''
  ])
  const artifact = run.artifact ? `\n\n${artifactRow(run.artifact).join(': ')}` : ''
  const parts = [
    `## ${HEADLINES[run.result]}`,
    `${run.targets.length} targets, each judged by the rules on its own.${artifact}`,
    table(['Target', 'Result', 'Scan', 'Findings', 'Breaking a rule'], rows),
    ...run.targets.map(target => renderTarget(target, policy, { ...layout, level: 3 }).trimEnd())
  ]
  return `${parts.join('\n\n')}\n`
}

function renderTarget(
  outcome: TargetOutcome,
  policy: PolicySettings,
  layout: Layout,
  artifact?: UploadedArtifact
): string {
  const level = layout.level ?? 2
  const headline =
    level === 2
      ? HEADLINES[outcome.result]
      : `${escapeCell(outcome.name, 100)}: ${RESULT_LABELS[outcome.result]}`
  const parts: string[] = [`${'#'.repeat(level)} ${headline}`]
  if (outcome.verdict?.baseline) parts.push(`**${describeChange(outcome.verdict.baseline, sinceLink)}**`)
  parts.push(facts(outcome, artifact))
  if (outcome.message) parts.push(`> ${escapeCell(outcome.message, 2000)}`)
  if (outcome.report?.testcases === 0) parts.push(`> ⚠️ ${NO_CHECKS}`)
  if (outcome.verdict) {
    const verdict = outcome.verdict
    const decided = verdict.violations.map(v => `- ${escapeCell(describeViolation(v))}`).join('\n')
    parts.push(
      `**Rules:** ${escapeCell(describePolicy(policyFor(policy, outcome.name)))}`,
      verdict.passed ? 'No rule was broken.' : `**Broken:**\n\n${decided}`,
      ...verdict.unreportedScanners.map(
        name =>
          `> ⚠️ \`fail-on-scanners\` lists \`${escapeCell(name, 100)}\`, but the report has no testcase of that scanner: a typo, or a check the target's plan does not run.`
      ),
      countsTable(verdict, policy)
    )
  }
  if (outcome.report) {
    parts.push(...findingsSection(outcome, layout, level + 1))
    if (outcome.verdict) parts.push(...fixedSection(outcome.verdict, layout, level + 1))
    if (layout.details) {
      if (outcome.verdict) parts.push(...suppressionSections(outcome.verdict, level + 1))
      parts.push(...notesSection(outcome.report.scannerErrors, outcome.report.skippedChecks))
    }
  }
  return `${parts.filter(Boolean).join('\n\n')}\n`
}

function facts(outcome: TargetOutcome, artifact?: UploadedArtifact): string {
  const rows: string[][] = []
  if (outcome.scanId) rows.push(['Scan', escapeCell(outcome.scanId)])
  if (outcome.statusCode !== undefined) rows.push(['Last status code', String(outcome.statusCode)])
  if (outcome.waitedMs !== undefined) rows.push(['Waited', formatDuration(outcome.waitedMs)])
  if (outcome.report) rows.push(['Testcases', String(outcome.report.testcases)])
  if (artifact) {
    rows.push(artifactRow(artifact))
  } else if (outcome.reportPath) {
    rows.push(['Report file', `\`${outcome.reportPath.replace(/`/g, '')}\``])
  }
  return rows.length > 0 ? table(['', ''], rows) : ''
}

function artifactRow(artifact: UploadedArtifact): [string, string] {
  const name = escapeCell(artifact.name)
  return ['Report artifact', artifact.url ? `[${name}](${artifact.url})` : name]
}

/** Findings per severity; with suppressions or a baseline, also how many of them the rules judged. */
function countsTable(verdict: Verdict, policy: PolicySettings): string {
  const severities = (Object.keys(SEVERITY_LABELS) as Severity[]).filter(
    s => s !== 'unknown' || verdict.counts.unknown > 0
  )
  if (!policy.suppressions && !policy.baseline) {
    return table(
      ['Severity', 'Findings'],
      severities.map(s => [SEVERITY_LABELS[s], String(verdict.counts[s])])
    )
  }
  const judged = countBySeverity(verdict.judged)
  return table(
    ['Severity', 'Findings', 'Judged by the rules'],
    severities.map(s => [SEVERITY_LABELS[s], String(verdict.counts[s]), String(judged[s])])
  )
}

function findingsSection(outcome: TargetOutcome, layout: Layout, level: number): string[] {
  const heading = '#'.repeat(level)
  // With a baseline, the new findings first: they are the ones the rules judge.
  const fresh = new Set(outcome.verdict?.baseline?.new ?? [])
  const findings = [...(outcome.report?.findings ?? [])].sort(
    (a, b) => Number(fresh.has(b)) - Number(fresh.has(a)) || bySeverityDescending(a, b)
  )
  if (findings.length === 0) return [`${heading} Findings\n\nThe scan reported no findings.`]
  const status = findingStatus(outcome.verdict)
  const rows: string[][] = []
  let size = 0
  for (const finding of findings) {
    if (rows.length >= layout.maxFindingRows || size > MAX_SUMMARY_CHARS) break
    const row = [
      SEVERITY_LABELS[finding.severity] +
        (finding.severity === 'unknown' ? ` (\`${escapeCell(finding.reportedType, 40)}\`)` : ''),
      escapeCell(finding.scanner, 60),
      escapeCell(finding.title, 120),
      escapeCell(finding.message),
      `\`${finding.fingerprint}\``,
      status(finding)
    ]
    size += row.join('').length
    rows.push(row)
  }
  const more =
    findings.length > rows.length
      ? `\n\n${findings.length - rows.length} more findings are not shown here; ${layout.elsewhere}.`
      : ''
  return [
    `${heading} Findings (${findings.length})\n\n${table(['Severity', 'Scanner', 'Title', 'Details', 'Fingerprint', 'Status'], rows)}${more}`
  ]
}

/** How the gate treated a finding: suppressed, new or already in the baseline, the rules it broke. */
function findingStatus(verdict: Verdict | undefined): (finding: Finding) => string {
  const suppressedBy = new Map(verdict?.suppressed.map(s => [s.finding, s.by]))
  const fresh = new Set(verdict?.baseline?.new)
  return finding => {
    const words: string[] = []
    const by = suppressedBy.get(finding)
    if (by) words.push(`suppressed (line ${by.line})`)
    if (verdict?.baseline) words.push(fresh.has(finding) ? 'new' : 'in baseline')
    const rules = verdict?.rulesBrokenBy.get(finding)
    if (rules) words.push(`**breaks ${rules.join(', ')}**`)
    return words.join(', ')
  }
}

const MAX_LISTED = 50

function findingRows(findings: readonly Finding[], extra: (finding: Finding) => string[] = () => []) {
  return findings
    .slice(0, MAX_LISTED)
    .map(f => [
      SEVERITY_LABELS[f.severity],
      escapeCell(f.scanner, 60),
      escapeCell(f.title, 120),
      `\`${f.fingerprint}\``,
      ...extra(f)
    ])
}

function moreThanListed(count: number): string {
  return count > MAX_LISTED ? `\n\n${count - MAX_LISTED} more in the findings file of the artifact.` : ''
}

/** The earlier run, linked, or the baseline file; the run's address is GitHub's own, the file the user's. */
function sinceLink(since: BaselineComparison['since']): string {
  return since.run ? `[run ${since.run.id}](${since.run.url})` : `\`${escapeCell(since.file, 200)}\``
}

/** With a baseline: its findings this scan no longer reports, after the findings of this scan. */
function fixedSection(verdict: Verdict, layout: Layout, level: number): string[] {
  const fixed = [...(verdict.baseline?.fixed ?? [])].sort(bySeverityDescending)
  if (fixed.length === 0) return []
  const rows = findingRows(fixed.slice(0, layout.maxFindingRows))
  const more =
    fixed.length > rows.length ? `\n\n${fixed.length - rows.length} more; ${layout.elsewhere}.` : ''
  return [
    `${'#'.repeat(level)} Fixed (${fixed.length})\n\nIn the baseline, no longer reported.\n\n${table(['Severity', 'Scanner', 'Title', 'Fingerprint'], rows)}${more}`
  ]
}

function suppressionSections(verdict: Verdict, level: number): string[] {
  const heading = '#'.repeat(level)
  const parts: string[] = []
  if (verdict.suppressed.length > 0) {
    const suppressed = [...verdict.suppressed].sort((a, b) => bySeverityDescending(a.finding, b.finding))
    const by = new Map(suppressed.map(s => [s.finding, s.by]))
    const rows = findingRows(
      suppressed.map(s => s.finding),
      finding => {
        const entry = by.get(finding)
        return [escapeCell(entry?.reason ?? ''), entry ? `line ${entry.line}` : '']
      }
    )
    parts.push(
      `${heading} Suppressed (${suppressed.length})\n\nAccepted by the suppressions file; not judged by the rules.\n\n${table(['Severity', 'Scanner', 'Title', 'Fingerprint', 'Reason', 'Entry'], rows)}${moreThanListed(suppressed.length)}`
    )
  }
  if (verdict.expired.length > 0) {
    const items = verdict.expired.map(
      ({ entry, wouldMatch }) =>
        `- ${escapeCell(describeSuppression(entry), 500)} — matches ${wouldMatch} ${wouldMatch === 1 ? 'finding' : 'findings'} of this scan`
    )
    parts.push(
      `${heading} ⚠️ Expired suppressions (${items.length})\n\nThese entries are past their \`expires\` date and suppress nothing: renew or remove them.\n\n${items.join('\n')}`
    )
  }
  if (verdict.unused.length > 0) {
    const items = verdict.unused.map(entry => `- ${escapeCell(describeSuppression(entry), 500)}`)
    parts.push(
      `<details><summary>Unused suppressions (${items.length}): they matched no finding of this scan</summary>\n\n${items.join('\n')}\n\n</details>`
    )
  }
  return parts
}

function notesSection(errors: ScannerNote[], skipped: ScannerNote[]): string[] {
  const section = (title: string, notes: ScannerNote[]): string => {
    const shown = notes.slice(0, 50)
    const rows = shown.map(n => [escapeCell(n.scanner, 60), escapeCell(n.title, 120), escapeCell(n.message)])
    const more = notes.length > shown.length ? `\n\n${notes.length - shown.length} more in the report.` : ''
    return `<details><summary>${title} (${notes.length})</summary>\n\n${table(['Scanner', 'Check', 'Message'], rows)}${more}\n\n</details>`
  }
  const parts: string[] = []
  if (errors.length > 0) parts.push(section('Scanner errors: checks that could not run', errors))
  if (skipped.length > 0) parts.push(section('Skipped checks', skipped))
  return parts
}
