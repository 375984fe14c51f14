import { describePolicy, describeViolation } from '../policy/gate.js'
import type { PolicySettings } from '../inputs/settings.js'
import { bySeverityDescending, type ScannerNote, type Severity } from '../report/findings.js'
import { formatDuration } from '../polling/durations.js'
import { escapeCell, table } from './markdown.js'
import type { Result, RunOutcome } from './outcome.js'

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
  /** Scanner errors and skipped checks. */
  notes: boolean
}

/** Findings listed in a pull-request comment; the job summary lists up to MAX_FINDING_ROWS. */
export const COMMENT_FINDING_ROWS = 10

/** The job summary as Markdown. Pure, so the same text can be shown elsewhere. */
export function renderSummary(outcome: RunOutcome, policy: PolicySettings): string {
  return render(outcome, policy, {
    maxFindingRows: MAX_FINDING_ROWS,
    elsewhere: 'the report artifact has all of them',
    notes: true
  })
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
  outcome: RunOutcome,
  policy: PolicySettings,
  context: CommentContext = {}
): string {
  const run = context.runUrl ? `the job summary of the [workflow run](${context.runUrl})` : 'the job summary'
  const body = render(outcome, policy, {
    maxFindingRows: COMMENT_FINDING_ROWS,
    elsewhere: `${run} and the report artifact have all of them`,
    notes: false
  })
  const about = [
    'Crashtest DAST scan',
    context.origin && escapeCell(context.origin, 200),
    context.runUrl && `[workflow run](${context.runUrl})`
  ]
  return `${body}\n<sub>${about.filter(Boolean).join(' · ')}. Later runs update this comment.</sub>\n`
}

function render(outcome: RunOutcome, policy: PolicySettings, layout: Layout): string {
  const parts: string[] = [`## ${HEADLINES[outcome.result]}`, facts(outcome)]
  if (outcome.message) parts.push(`> ${escapeCell(outcome.message, 2000)}`)
  if (outcome.verdict) {
    const verdict = outcome.verdict
    const decided = verdict.violations.map(v => `- ${escapeCell(describeViolation(v))}`).join('\n')
    parts.push(
      `**Rules:** ${escapeCell(describePolicy(policy))}`,
      verdict.passed ? 'No rule was broken.' : `**Broken:**\n\n${decided}`,
      table(
        ['Severity', 'Findings'],
        (Object.keys(SEVERITY_LABELS) as Severity[])
          .filter(s => s !== 'unknown' || verdict.counts.unknown > 0)
          .map(s => [SEVERITY_LABELS[s], String(verdict.counts[s])])
      )
    )
  }
  if (outcome.report) {
    parts.push(...findingsSection(outcome, layout))
    if (layout.notes) parts.push(...notesSection(outcome.report.scannerErrors, outcome.report.skippedChecks))
  }
  return `${parts.filter(Boolean).join('\n\n')}\n`
}

function facts(outcome: RunOutcome): string {
  const rows: string[][] = []
  if (outcome.scanId) rows.push(['Scan', escapeCell(outcome.scanId)])
  if (outcome.statusCode !== undefined) rows.push(['Last status code', String(outcome.statusCode)])
  if (outcome.waitedMs !== undefined) rows.push(['Waited', formatDuration(outcome.waitedMs)])
  if (outcome.report) rows.push(['Testcases', String(outcome.report.testcases)])
  if (outcome.artifact) {
    const name = escapeCell(outcome.artifact.name)
    rows.push(['Report artifact', outcome.artifact.url ? `[${name}](${outcome.artifact.url})` : name])
  } else if (outcome.reportPath) {
    rows.push(['Report file', `\`${outcome.reportPath.replace(/`/g, '')}\``])
  }
  return rows.length > 0 ? table(['', ''], rows) : ''
}

function findingsSection(outcome: RunOutcome, layout: Layout): string[] {
  const findings = [...(outcome.report?.findings ?? [])].sort(bySeverityDescending)
  if (findings.length === 0) return ['### Findings\n\nThe scan reported no findings.']
  const breaking = new Set(outcome.verdict?.breaking ?? [])
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
      breaking.has(finding) ? 'yes' : ''
    ]
    size += row.join('').length
    rows.push(row)
  }
  const more =
    findings.length > rows.length
      ? `\n\n${findings.length - rows.length} more findings are not shown here; ${layout.elsewhere}.`
      : ''
  return [
    `### Findings (${findings.length})\n\n${table(['Severity', 'Scanner', 'Title', 'Details', 'Breaks a rule'], rows)}${more}`
  ]
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
