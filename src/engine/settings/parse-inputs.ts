import { SEVERITIES, type KnownSeverity } from '../report/findings.js'
import { resolvePath, type InputFields, type Problem } from './input-fields.js'
import { parseScanConfig } from './scan-config.js'
import { parsePolicyFiles } from './policy-inputs.js'
import { parseRequestTimeout } from './request-timeout.js'
import type { Settings } from './settings.js'
import type { FailOn } from '../policy/gate.js'
import { parseTargets } from './targets.js'
import { parseVeracodeInputs } from './veracode.js'

// The legacy Crashtest API. Applied here, not as action.yml's default, so that an empty 'api-url' means
// "not given" and Veracode credentials can pick their region's URL instead.
export const DEFAULT_API_URL = 'https://api.crashtest.cloud/webhook'

export { InputError, type InputReader } from './input-fields.js'

/**
 * Turns raw options into validated settings. Pure: no I/O, no logging; the caller hides secrets first.
 * Every problem is collected in `fields`, so that one run shows all of them, and left there for the
 * caller, who may add a front end's own before checking. Paths are relative to `baseDir`.
 */
export function parseSettings(fields: InputFields, baseDir: string): Settings {
  const { read, problem } = fields

  const veracode = parseVeracodeInputs(fields)

  // A job runs for five days at the most (self-hosted runners); longer waits only hide a mistake.
  const timeoutMinutes = fields.number('timeout', 0, 'minutes', 7200)
  const pollSeconds = fields.number('poll-interval', 1, 'seconds', 3600)
  const reportPath = resolvePath(read('report-path'), baseDir)
  const wait = fields.bool('wait')
  const targets = parseTargets(
    {
      webhook: read('webhook'),
      scanId: read('scan-id'),
      baseUrl: read('api-url') || veracode.baseUrl || DEFAULT_API_URL,
      veracode: veracode.credentials,
      reportPath
    },
    problem
  )
  if (!wait && targets.some(target => target.scanId !== undefined)) {
    problem(`'scan-id' follows a scan that is already started, so it needs 'wait: true'`)
  }

  return {
    targets,
    maxParallel: parseMaxParallel(read('max-parallel'), targets.length, problem),
    wait,
    timeoutMs: timeoutMinutes * 60_000,
    pollIntervalMs: pollSeconds * 1000,
    requestTimeoutMs: parseRequestTimeout(fields),
    ifRunning: fields.oneOf('if-running'),
    onTimeout: fields.oneOf('on-timeout'),
    reportPath,
    policy: {
      failOn: fields.oneOf<FailOn>('fail-on'),
      failOnScanners: parseScannerList(read('fail-on-scanners'), problem),
      maxFindings: parseMaxFindings(read('max-findings'), problem)
    },
    policyFiles: parsePolicyFiles(fields, baseDir),
    scanConfig: parseScanConfig(fields, baseDir),
    sarifPath: outputFile(fields, 'sarif-path', baseDir, reportPath),
    gitlabReportPath: outputFile(fields, 'gitlab-report', baseDir, reportPath)
  }
}

/** A file made from the report: absolute, and never the report itself. */
function outputFile(
  fields: InputFields,
  name: string,
  baseDir: string,
  reportPath: string
): string | undefined {
  const input = fields.read(name)
  if (input === '') return undefined
  const path = resolvePath(input, baseDir)
  if (path === reportPath) {
    fields.problem(`'${name}' must name another file than 'report-path' (both are '${input}')`)
  }
  return path
}

const SCANNER_NAME = /^[A-Za-z0-9._-]+$/

/** `xss.crashtest.cloud, sqli`: scanner names separated by commas or new lines, in lower case. */
function parseScannerList(raw: string, problem: Problem): string[] {
  const names = raw
    .split(/[,\n]/)
    .map(name => name.trim())
    .filter(Boolean)
  for (const name of names.filter(name => !SCANNER_NAME.test(name))) {
    problem(
      `'fail-on-scanners' names are letters, digits, '.', '_' and '-', separated by commas or new lines; got '${name}'`
    )
  }
  return [...new Set(names.filter(name => SCANNER_NAME.test(name)).map(name => name.toLowerCase()))]
}

/** `high=0, medium=5`, separated by commas or new lines. */
function parseMaxFindings(raw: string, problem: Problem): Partial<Record<KnownSeverity, number>> {
  const budgets: Partial<Record<KnownSeverity, number>> = {}
  const entries = raw
    .split(/[,\n]/)
    .map(entry => entry.trim())
    .filter(Boolean)
  for (const entry of entries) {
    const match = /^([a-z]+)\s*=\s*(\d+)$/i.exec(entry)
    const severity = match?.[1]?.toLowerCase() as KnownSeverity | undefined
    if (!match || !severity || !SEVERITIES.includes(severity)) {
      problem(
        `'max-findings' entries must be <severity>=<count> with severity one of ${SEVERITIES.join(', ')}; got '${entry}'`
      )
      continue
    }
    if (severity in budgets) {
      problem(`'max-findings' gives a budget for '${severity}' twice`)
      continue
    }
    budgets[severity] = Number(match[2])
  }
  return budgets
}

/** How many scans run at once: all when empty. */
function parseMaxParallel(raw: string, targets: number, problem: Problem): number {
  if (raw === '') return Math.max(targets, 1)
  const count = Number(raw)
  if (!Number.isInteger(count) || count < 1) {
    return problem(`'max-parallel' must be a whole number of scans, at least 1; got '${raw}'`) ?? 1
  }
  return count
}
