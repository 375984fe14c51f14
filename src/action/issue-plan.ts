// Which GitHub issues a run opens, reopens and closes (`issues: true`), and what they say. Pure: the
// issues the action opened before come in, the changes to make go out (src/action/issues.ts makes them).
import type { Suppression } from '../engine/policy/suppressions.js'
import type { Finding } from '../engine/report/findings.js'
import { pathOf } from '../engine/report/fingerprint.js'
import { escapeCell, plainLine } from './markdown.js'

/**
 * The first line of every issue the action opens: which target and finding it tracks. Report text
 * cannot produce it (the body escapes `<`), and only the first line is read.
 */
const MARKER = /^<!-- crashtest-dast-issue target=([\w%.~-]*) fingerprint=([0-9a-f]{16}) -->$/

export interface TrackedIssue {
  number: number
  state: 'open' | 'closed'
  /** The action closed it (it opened it, and the same account closed it); a person's closing is kept. */
  closedByAction: boolean
  target: string
  fingerprint: string
}

/** The finding an issue of the action tracks, read from its first line; undefined for any other issue. */
export function trackedBy(
  body: string | null | undefined
): { target: string; fingerprint: string } | undefined {
  const match = MARKER.exec((body ?? '').split('\n', 1)[0] ?? '')
  if (!match) return undefined
  try {
    return { target: decodeURIComponent(match[1] ?? ''), fingerprint: match[2] ?? '' }
  } catch {
    return undefined
  }
}

/** One target as the run left it. */
export interface TargetIssues {
  name: string
  /** The report was read: issues may be opened or reopened. */
  read: boolean
  /** The report was complete (result `passed` or `failed`): issues may be closed. */
  complete: boolean
  scanId?: string
  /** The findings that break the rules, after suppressions and the baseline. */
  breaking: Finding[]
  /** The fingerprints of every finding of the report. */
  reported: ReadonlySet<string>
  /** Findings a suppression accepts, with its entry. */
  suppressed: { finding: Finding; by: Suppression }[]
}

export type IssueChange =
  | { kind: 'open'; target: string; finding: Finding; title: string; body: string; severity: string }
  | { kind: 'reopen'; issue: TrackedIssue; comment: string }
  | { kind: 'close'; issue: TrackedIssue; reason: 'completed' | 'not_planned'; comment: string }

export interface IssuePlan {
  changes: IssueChange[]
  /** Findings over `issue-limit` that have no issue yet. */
  withoutIssue: number
}

export interface PlanContext {
  runUrl?: string
  limit: number
  /** More than one target: issues name theirs. */
  several: boolean
}

/**
 * Opens an issue for each breaking finding that has none (at most `limit`), reopens one the action
 * closed, leaves one a person closed; closes, from a complete report only, an open issue whose finding is
 * gone (as completed) or now suppressed (as not planned). An open issue of a finding still there: no write.
 */
export function planIssues(
  targets: TargetIssues[],
  existing: TrackedIssue[],
  context: PlanContext
): IssuePlan {
  const changes: IssueChange[] = []
  let withoutIssue = 0
  const key = (target: string, fingerprint: string) => `${target}\n${fingerprint}`
  const byFinding = new Map(existing.map(issue => [key(issue.target, issue.fingerprint), issue]))
  const scan = (target: TargetIssues) =>
    `scan ${target.scanId ?? '?'}${context.runUrl ? ` ([workflow run](${context.runUrl}))` : ''}`
  for (const target of targets.filter(t => t.read)) {
    const seen = new Set<string>()
    for (const finding of target.breaking) {
      if (seen.has(finding.fingerprint)) continue
      seen.add(finding.fingerprint)
      const issue = byFinding.get(key(target.name, finding.fingerprint))
      if (issue?.state === 'open' || (issue && !issue.closedByAction)) continue
      if (issue) {
        changes.push({ kind: 'reopen', issue, comment: `Found again by ${scan(target)}.` })
      } else if (changes.filter(c => c.kind === 'open').length >= context.limit) {
        withoutIssue++
      } else {
        changes.push({
          kind: 'open',
          target: target.name,
          finding,
          severity: finding.severity,
          title: issueTitle(finding, context.several ? target.name : undefined),
          body: issueBody(target.name, finding, scan(target))
        })
      }
    }
  }
  for (const target of targets.filter(t => t.complete)) {
    const suppressedBy = new Map(target.suppressed.map(s => [s.finding.fingerprint, s.by]))
    for (const issue of existing.filter(i => i.target === target.name && i.state === 'open')) {
      const suppression = suppressedBy.get(issue.fingerprint)
      if (suppression) {
        const reason = escapeCell(suppression.reason, 500)
        changes.push({
          kind: 'close',
          issue,
          reason: 'not_planned',
          comment: `Accepted by the suppressions file (line ${suppression.line}): ${reason}`
        })
      } else if (!target.reported.has(issue.fingerprint)) {
        changes.push({
          kind: 'close',
          issue,
          reason: 'completed',
          comment: `No longer found by ${scan(target)}.`
        })
      }
    }
  }
  return { changes, withoutIssue }
}

const TITLE_LENGTH = 120

/** `DAST: <title> at <path>`, the path and parameter those of the fingerprint. */
export function issueTitle(finding: Finding, target?: string): string {
  const path = finding.url ? pathOf(finding.url) || '/' : undefined
  const where = [path, finding.parameter && `(${finding.parameter})`].filter(Boolean).join(' ')
  return plainLine(
    `DAST: ${finding.title}${where ? ` at ${where}` : ''}${target ? ` [${target}]` : ''}`,
    TITLE_LENGTH
  )
}

function issueBody(target: string, finding: Finding, scan: string): string {
  const rows = [
    ['Target', escapeCell(target, 100)],
    ['Severity', finding.severity],
    ['Scanner', escapeCell(finding.scanner, 60)],
    ['URL', finding.url ? escapeCell(finding.url, 500) : ''],
    ['Parameter', finding.parameter ? escapeCell(finding.parameter, 100) : ''],
    ['Fingerprint', `\`${finding.fingerprint}\``],
    ['Found by', scan]
  ]
  return [
    `<!-- crashtest-dast-issue target=${encodeURIComponent(target)} fingerprint=${finding.fingerprint} -->`,
    `**${escapeCell(finding.title, 200)}**, found by the Crashtest Security DAST scan.`,
    `| | |\n| --- | --- |\n${rows.map(([name, value]) => `| ${name} | ${value} |`).join('\n')}`,
    `The scanner's message:\n\n> ${escapeCell(finding.message, 4000)}`,
    'To accept this finding, add it to the suppressions file:',
    `\`\`\`yaml\nsuppressions:\n  - fingerprint: ${finding.fingerprint}\n    reason: <why it is accepted>\n\`\`\``,
    'This issue is closed when a complete scan no longer finds it, and reopened if one finds it again.'
  ].join('\n\n')
}
