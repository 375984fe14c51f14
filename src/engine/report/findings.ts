/** Severities a finding can carry; `unknown` is any failure type the scanner is not known to emit. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const
export type KnownSeverity = (typeof SEVERITIES)[number]
export type Severity = KnownSeverity | 'unknown'

export interface Finding {
  /** The scanner that reported it: `classname` without the `.crashtest.cloud` suffix. */
  scanner: string
  /** The finding's title without the running counter ` (N)`, which is not stable between scans. */
  title: string
  severity: Severity
  /** `failure/@type` as the report gave it, for findings of unknown severity. */
  reportedType: string
  message: string
  /** Stable between scans of one target (see fingerprint.ts); what suppressions and baselines match. */
  fingerprint: string
  /** The URL the message names, normalised (see `locate`), when it names one. */
  url?: string
  /** The parameter the message names, when it names one. */
  parameter?: string
}

/** A testcase the scanner could not run (`type="error"`) or did not run (`type="skipped"`). */
export interface ScannerNote {
  scanner: string
  title: string
  message: string
}

export interface ScanReport {
  testcases: number
  /**
   * The scanner of every testcase, passed ones included, in lower case: which checks ran. Absent when
   * the report names more than MAX_SCANNER_NAMES of them (no real report does), or was not read for it.
   */
  scanners?: ReadonlySet<string>
  findings: Finding[]
  scannerErrors: ScannerNote[]
  skippedChecks: ScannerNote[]
}

export type SeverityCounts = Record<Severity, number>

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 }
  for (const finding of findings) counts[finding.severity]++
  return counts
}

/**
 * Rank used for ordering and for judging. An unknown severity ranks with `high` so that a report the
 * action cannot fully read makes the gate fail closed.
 */
export function severityRank(severity: Severity): number {
  switch (severity) {
    case 'critical':
      return 5
    case 'high':
    case 'unknown':
      return 4
    case 'medium':
      return 3
    case 'low':
      return 2
    case 'info':
      return 1
  }
}

export function bySeverityDescending(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    Number(a.severity === 'unknown') - Number(b.severity === 'unknown') ||
    compareText(a.scanner, b.scanner) ||
    compareText(a.title, b.title)
  )
}

/**
 * Case-insensitive, then exact, by code point. Not localeCompare: its first call loads the ICU
 * collation data (some 10 ms at every run's end), and the order would depend on the runner's locale.
 */
function compareText(a: string, b: string): number {
  const [lowerA, lowerB] = [a.toLowerCase(), b.toLowerCase()]
  if (lowerA !== lowerB) return lowerA < lowerB ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}

/** The scanner's name from a testcase `classname` such as `xss.crashtest.cloud`. */
export function scannerName(classname: string): string {
  return classname.replace(/\.crashtest\.cloud$/i, '')
}

/** Scanners a report is expected to name at most; a few dozen run in a real scan. */
export const MAX_SCANNER_NAMES = 10_000

/**
 * Whether a scanner as a rule names it, as the report's classname (`xss.crashtest.cloud`) or its first
 * label (`xss`), is the scanner of a finding (its classname without `.crashtest.cloud`). Case is ignored.
 */
export function isListedScanner(listed: string, scanner: string): boolean {
  const name = listed.toLowerCase()
  const found = scanner.toLowerCase()
  return scannerName(name) === found || name === found.split('.')[0]
}

/** A testcase name without its running counter ` (N)`, which changes from scan to scan. */
export function titleWithoutCounter(name: string): string {
  return name.replace(/\s*\(\d+\)\s*$/, '')
}
