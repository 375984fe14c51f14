import { createHash } from 'node:crypto'
import { bySeverityDescending, type Finding, type Severity } from '../report/findings.js'
import { normaliseUrl } from '../report/fingerprint.js'
import { clip, percentEncodedOnce } from '../report/text.js'
import { prettyJsonPieces } from './json-text.js'
import { ruleId, TOOL_NAME } from './sarif.js'

/** The version of GitLab's security report schemas the report is written for (`dast-report-format.json`). */
export const GITLAB_REPORT_VERSION = '15.0.7'
/** `scan.analyzer.id` and `scan.scanner.id`: GitLab files the vulnerabilities under the scanner's id. */
export const GITLAB_SCANNER_ID = 'crashtest-dast'

export type GitlabSeverity = 'Critical' | 'High' | 'Medium' | 'Low' | 'Info' | 'Unknown'

const SEVERITIES: Record<Severity, GitlabSeverity> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
  unknown: 'Unknown'
}

// The schema's limits, in characters (code points).
const MAX_NAME = 255
const MAX_DESCRIPTION = 1_048_576

export interface GitlabScanFacts {
  startedAt: Date
  endedAt: Date
  status: 'success' | 'failure'
  /** This tool's version; GitLab requires one for the analyzer and the scanner. */
  toolVersion: string
  /**
   * Absolute URLs known to have been scanned, such as the target: listed as scanned resources before
   * the findings' URLs, and their scheme (`http` or `https`) used for findings on the same host and
   * port. Findings' URLs carry no scheme, so without one they are taken to be `https`.
   */
  scannedUrls?: readonly string[]
}

export interface GitlabIdentifier {
  type: string
  name: string
  value: string
}

export interface GitlabLocation {
  /** Scheme, host and port: `https://app.example.test:8443`. */
  hostname?: string
  method?: string
  /** The URL's path, percent-encoded, starting with `/`. */
  path?: string
  param?: string
}

export interface GitlabVulnerability {
  id: string
  name: string
  description: string
  severity: GitlabSeverity
  identifiers: GitlabIdentifier[]
  location: GitlabLocation
}

export interface GitlabScannedResource {
  method: 'GET'
  url: string
  type: 'url'
}

interface GitlabTool {
  id: string
  name: string
  version: string
  vendor: { name: string }
}

export interface GitlabReport {
  version: string
  scan: {
    analyzer: GitlabTool
    scanner: GitlabTool
    type: 'dast'
    start_time: string
    end_time: string
    status: 'success' | 'failure'
    scanned_resources: GitlabScannedResource[]
  }
  vulnerabilities: GitlabVulnerability[]
}

/**
 * The findings as a GitLab DAST security report (schema 15.0.7), as GitLab CI reads it through
 * `artifacts: reports: dast:`: one vulnerability per finding, worst first. Pure: the same findings and
 * facts always give the same report. Throws a RangeError for a date that is invalid or outside the years
 * 0 to 9999.
 */
export function renderGitlabReportText(
  findings: readonly Finding[],
  scan: GitlabScanFacts
): Generator<string> {
  const { report, vulnerabilities } = planGitlabReport(findings, scan)
  return prettyJsonPieces(report as unknown as Record<string, unknown>, ['vulnerabilities'], vulnerabilities)
}

/** The report with no vulnerabilities yet, and its vulnerabilities, described only as they are asked for. */
function planGitlabReport(
  findings: readonly Finding[],
  facts: GitlabScanFacts
): { report: GitlabReport; vulnerabilities: Iterable<GitlabVulnerability> } {
  // Times first: a bad date fails before anything is described.
  const start_time = gitlabTime(facts.startedAt)
  const end_time = gitlabTime(facts.endedAt)
  const sorted = [...findings].sort(bySeverityDescending)
  const { schemes, resources } = scannedResources(sorted, facts.scannedUrls ?? [])
  const version = wellFormed(facts.toolVersion).trim() || 'unknown'
  const vulnerabilities = function* (): Generator<GitlabVulnerability> {
    // A finding reported twice has one fingerprint: the count of those before it keeps the ids apart.
    const seen = new Map<string, number>()
    for (const finding of sorted) {
      const occurrence = seen.get(finding.fingerprint) ?? 0
      seen.set(finding.fingerprint, occurrence + 1)
      yield describeVulnerability(finding, vulnerabilityId(finding.fingerprint, occurrence), schemes)
    }
  }
  return {
    report: {
      version: GITLAB_REPORT_VERSION,
      scan: {
        // The analyzer is this tool; the scanner is the service it drives, now Veracode DAST Essentials.
        analyzer: { id: GITLAB_SCANNER_ID, name: TOOL_NAME, version, vendor: { name: 'Crashtest Security' } },
        scanner: { id: GITLAB_SCANNER_ID, name: TOOL_NAME, version, vendor: { name: 'Veracode' } },
        type: 'dast',
        start_time,
        end_time,
        status: facts.status,
        scanned_resources: resources
      },
      vulnerabilities: []
    },
    vulnerabilities: vulnerabilities()
  }
}

/**
 * `yyyy-mm-ddThh:mm:ss` in UTC, the fraction of a second cut off, as the schema's `start_time` and
 * `end_time` require.
 */
function gitlabTime(date: Date): string {
  const time = date.getTime()
  if (!Number.isFinite(time)) throw new RangeError('The scan time is not a valid date.')
  const iso = date.toISOString()
  // Years before 0 or after 9999 are written with a sign and six digits, which the schema refuses.
  if (!/^\d{4}-/.test(iso)) throw new RangeError(`The scan time ${iso} is outside the years 0 to 9999.`)
  return iso.slice(0, 19)
}

/**
 * A UUID-shaped id (RFC 9562 version 8: made by the application) from a SHA-256 of the finding's
 * fingerprint and how many findings with the same fingerprint come before it in the report: the same
 * finding gets the same id in every report, and no two vulnerabilities of one report share one.
 */
function vulnerabilityId(fingerprint: string, occurrence: number): string {
  const hex = createHash('sha256')
    .update(`crashtest-dast/gitlab-vulnerability\n${fingerprint}\n${occurrence}`)
    .digest('hex')
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

function describeVulnerability(
  finding: Finding,
  id: string,
  schemes: ReadonlyMap<string, string>
): GitlabVulnerability {
  const title = oneLine(finding.title) || 'Untitled finding'
  const scanner = oneLine(finding.scanner) || 'unknown'
  const identifiers: GitlabIdentifier[] = [
    // The primary identifier names the check, as SARIF's rule id does; GitLab tells vulnerabilities
    // apart by it and the location.
    {
      type: 'crashtest_scanner',
      name: clip(`${title} (${scanner} scanner)`, MAX_NAME),
      value: ruleId(finding)
    }
  ]
  if (finding.fingerprint) {
    identifiers.push({
      type: 'crashtest_finding',
      name: `Crashtest finding ${wellFormed(finding.fingerprint)}`,
      value: wellFormed(finding.fingerprint)
    })
  }
  return {
    id,
    name: clip(title, MAX_NAME),
    description: clip(
      wellFormed(finding.message).trim() || `${title}, reported by the "${scanner}" scanner.`,
      MAX_DESCRIPTION
    ),
    severity: SEVERITIES[finding.severity],
    identifiers,
    location: locate(finding, schemes)
  }
}

function locate(finding: Finding, schemes: ReadonlyMap<string, string>): GitlabLocation {
  const location: GitlabLocation = {}
  if (finding.url) {
    const url = webAddress(finding.url, schemes)
    location.hostname = url.hostname
    location.method = 'GET'
    location.path = url.path
  }
  if (finding.parameter) location.param = wellFormed(finding.parameter)
  return location
}

/**
 * A finding's URL (normalised, so without a scheme: see `normaliseUrl`) as an absolute address: the
 * scheme of a scanned URL on the same host and port, else `https`; the path and the query's names
 * percent-encoded again.
 */
function webAddress(
  normalised: string,
  schemes: ReadonlyMap<string, string>
): { hostname: string; path: string; url: string } {
  const parts = splitUrl(wellFormed(normalised))
  const scheme = parts.scheme ?? schemes.get(parts.host) ?? 'https'
  const hostname = `${scheme}://${parts.host}`
  const path = `/${parts.path.replace(/^\//, '').split('/').map(percentEncodedOnce).join('/')}`
  const query = parts.query ? `?${parts.query.split('&').map(percentEncodedOnce).join('&')}` : ''
  return { hostname, path, url: `${hostname}${path}${query}` }
}

/** Scheme (when there is one), host, path and query of a URL, by its punctuation alone. */
function splitUrl(url: string): { scheme?: string; host: string; path: string; query: string } {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)
  const rest = (scheme ? url.slice(scheme[0].length) : url).replace(/#.*$/s, '')
  const hostEnd = rest.search(/[/?]/)
  const host = hostEnd < 0 ? rest : rest.slice(0, hostEnd)
  const tail = hostEnd < 0 ? '' : rest.slice(hostEnd)
  const queryStart = tail.indexOf('?')
  return {
    ...(scheme && { scheme: scheme[1]!.toLowerCase() }),
    host,
    path: queryStart < 0 ? tail : tail.slice(0, queryStart),
    query: queryStart < 0 ? '' : tail.slice(queryStart + 1)
  }
}

/**
 * The scanned resources: the given scanned URLs as they are, then the findings' other URLs sorted (as
 * JavaScript sorts strings), each once by its normalised form; and the scheme of each scanned host.
 */
function scannedResources(
  findings: readonly Finding[],
  scannedUrls: readonly string[]
): { schemes: Map<string, string>; resources: GitlabScannedResource[] } {
  const schemes = new Map<string, string>()
  const listed = new Set<string>()
  const resources: GitlabScannedResource[] = []
  for (const raw of scannedUrls) {
    const url = wellFormed(raw).trim()
    if (!url) continue
    const key = normaliseUrl(url)
    const scheme = /^(https?):\/\//i.exec(url)?.[1]?.toLowerCase()
    const host = splitUrl(key).host
    if (scheme && !schemes.has(host)) schemes.set(host, scheme)
    if (listed.has(key)) continue
    listed.add(key)
    resources.push({ method: 'GET', url, type: 'url' })
  }
  const found = new Set<string>()
  for (const finding of findings) if (finding.url && !listed.has(finding.url)) found.add(finding.url)
  const urls = [...found].map(url => webAddress(url, schemes).url)
  for (const url of [...new Set(urls)].sort()) resources.push({ method: 'GET', url, type: 'url' })
  return { schemes, resources }
}

/** The text with any lone surrogate (which no UTF-8 file can hold) replaced by U+FFFD. */
function wellFormed(text: string): string {
  return text.toWellFormed()
}

function oneLine(text: string): string {
  return wellFormed(text).replace(/\s+/g, ' ').trim()
}
