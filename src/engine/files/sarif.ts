import type { Log, ReportingDescriptor, Result, Run } from 'sarif'
import { bySeverityDescending, type Finding, type Severity } from '../report/findings.js'
import { clip, percentEncodedOnce } from '../report/text.js'
import { prettyJsonStreams } from './json-text.js'

/** The `$schema` GitHub's code scanning documentation gives for SARIF 2.1.0. */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
export const TOOL_NAME = 'Crashtest Security DAST'

/** Where a finding whose message names no URL is located, when the workflow file is not known. */
const DEFAULT_FALLBACK_URI = 'crashtest-dast-scan'

const LEVELS: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  unknown: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note'
}

/**
 * `security-severity` is what code scanning ranks security alerts by: over 9.0 is critical, 7.0 to 8.9
 * high, 4.0 to 6.9 medium, 0.1 to 3.9 low, and 0.0 no security severity (GitHub's documented bands).
 * An unknown severity is judged like high by the gate, so it ranks like high here too.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  unknown: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0'
}

// GitHub cuts rule names at 255 characters and descriptions at 1024.
const MAX_NAME = 255
const MAX_DESCRIPTION = 1024
const MAX_SLUG = 100

export interface SarifOptions {
  /** Repository-relative location of findings whose message names no URL, e.g. the workflow file. */
  fallbackUri?: string
}

/** One run of the log: the findings of one scan target. */
export interface SarifRun {
  findings: readonly Finding[]
  /**
   * `automationDetails.id` of the run, which code scanning takes as the run's category, so that the
   * targets of one step stay apart; absent for a step with one target.
   */
  automationId?: string
}

/**
 * The findings as the text of a SARIF 2.1.0 log for GitHub code scanning, pretty-printed and made one
 * result at a time: a run per target, one rule per scanner and title, one result per finding. Pure: the
 * same findings always give the same log.
 */
export function renderSarifRunsText(
  runs: readonly SarifRun[],
  options: SarifOptions = {}
): Generator<string> {
  const { log, results } = planSarif(runs, options)
  const streams = results.map((items, index) => ({ path: ['runs', index, 'results'], items }))
  return prettyJsonStreams(log as unknown as Record<string, unknown>, streams)
}

/** The log with no results yet, and each run's results, described only as they are asked for. */
function planSarif(
  runs: readonly SarifRun[],
  options: SarifOptions
): { log: Log; results: Iterable<Result>[] } {
  const fallbackUri = options.fallbackUri || DEFAULT_FALLBACK_URI
  const planned = runs.map(run => planRun(run, fallbackUri))
  return {
    log: { $schema: SARIF_SCHEMA, version: '2.1.0', runs: planned.map(plan => plan.run) },
    results: planned.map(plan => plan.results)
  }
}

function planRun(run: SarifRun, fallbackUri: string): { run: Run; results: Iterable<Result> } {
  const sorted = [...run.findings].sort(bySeverityDescending)
  const rules: ReportingDescriptor[] = []
  const ruleIndex = new Map<string, number>()
  for (const finding of sorted) {
    const id = ruleId(finding)
    // Findings come worst first, so a rule is described by its worst finding.
    if (!ruleIndex.has(id)) ruleIndex.set(id, rules.push(describeRule(id, finding)) - 1)
  }
  const results = function* (): Generator<Result> {
    for (const finding of sorted) {
      const id = ruleId(finding)
      yield describeResult(finding, id, ruleIndex.get(id)!, fallbackUri)
    }
  }
  return {
    run: {
      tool: { driver: { name: TOOL_NAME, rules } },
      ...(run.automationId !== undefined && { automationDetails: { id: run.automationId } }),
      results: []
    },
    results: results()
  }
}

/**
 * `crashtest/<scanner>/<title>`, each part lower-cased with every run of other characters than letters
 * and digits turned into one `-`, and cut at 100 characters. Titles that differ only in punctuation or
 * case name the same check, so they share a rule.
 */
export function ruleId(finding: Pick<Finding, 'scanner' | 'title'>): string {
  return `crashtest/${slug(finding.scanner)}/${slug(finding.title)}`
}

function slug(text: string): string {
  const slugged = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/, '')
  return slugged || 'untitled'
}

function describeRule(id: string, worst: Finding): ReportingDescriptor {
  const title = oneLine(worst.title) || 'Untitled finding'
  const scanner = oneLine(worst.scanner) || 'unknown'
  return {
    id,
    name: clip(title, MAX_NAME),
    shortDescription: { text: clip(title, MAX_DESCRIPTION) },
    fullDescription: {
      text: clip(
        `${title}, reported by the Crashtest Security "${scanner}" scanner while scanning the running application (DAST).`,
        MAX_DESCRIPTION
      )
    },
    help: {
      text:
        'Found by a dynamic scan of the deployed application, not in the source code: the message names ' +
        'the address and parameter that are affected. The JUnit report kept with the run and the ' +
        'Crashtest dashboard have the details and remediation advice.'
    },
    defaultConfiguration: { level: LEVELS[worst.severity] },
    properties: { tags: ['security', 'dast'], 'security-severity': SECURITY_SEVERITY[worst.severity] }
  }
}

function describeResult(finding: Finding, id: string, index: number, fallbackUri: string): Result {
  const id16 = finding.fingerprint
  const url = finding.url
  return {
    ruleId: id,
    ruleIndex: index,
    level: LEVELS[finding.severity],
    message: { text: finding.message.trim() || oneLine(finding.title) || 'Finding without a message' },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: url ? urlAsRepositoryPath(url) : fallbackUri },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }
        }
      }
    ],
    // Code scanning matches alerts across runs by primaryLocationLineHash; the second key names the
    // same id as this action's own, for tools that read SARIF without GitHub's conventions.
    partialFingerprints: { primaryLocationLineHash: id16, 'crashtestFindingId/v1': id16 },
    properties: {
      severity: finding.severity,
      scanner: finding.scanner,
      ...(finding.severity === 'unknown' && { reportedType: finding.reportedType }),
      ...(url && { url })
    }
  }
}

/**
 * A scanned URL as a location code scanning accepts. It refuses absolute URIs whose scheme is not the
 * checkout's (`file`), and reads `host:port` as a scheme, so the location is `host/path` as a
 * repository-relative path: the port written `_port`, the query left out (its names are in the
 * fingerprint), every segment percent-encoded.
 */
function urlAsRepositoryPath(normalisedUrl: string): string {
  const withoutQuery = normalisedUrl.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[?#]/)[0] ?? ''
  const [host = '', ...path] = withoutQuery.split('/')
  const segments = [host.replace(/:/g, '_'), ...path].filter(Boolean).map(encodeSegment)
  return segments.join('/') || DEFAULT_FALLBACK_URI
}

function encodeSegment(segment: string): string {
  if (segment === '.' || segment === '..') return segment.replace(/\./g, '%2E')
  return percentEncodedOnce(segment)
}

/**
 * The workflow file that ran the scan, relative to the repository root, from `GITHUB_WORKFLOW_REF`
 * (`owner/repo/.github/workflows/scan.yml@refs/heads/main`); undefined when the runner did not say.
 */
export function workflowFileUri(env: Record<string, string | undefined>): string | undefined {
  const ref = env.GITHUB_WORKFLOW_REF
  const repository = env.GITHUB_REPOSITORY
  if (!ref || !repository || !ref.startsWith(`${repository}/`)) return undefined
  const path = ref.slice(repository.length + 1).replace(/@[^@]*$/, '')
  return path ? path.split('/').filter(Boolean).map(encodeSegment).join('/') : undefined
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
