import { SEVERITIES, type KnownSeverity } from '../report/findings.js'
import { InputFields, resolvePath, type InputReader, type Problem } from './input-fields.js'
import { parseScanConfig } from './scan-config.js'
import { parsePolicyFiles } from './policy-inputs.js'
import { parseRequestTimeout } from './request-timeout.js'
import type { Settings } from './settings.js'
import type { FailOn } from '../policy/gate.js'
import { isLoopback, tryUrl } from './urls.js'
import { parseVeracodeInputs } from './veracode.js'

// The legacy Crashtest API. Applied here, not as action.yml's default, so that an empty 'api-url' means
// "not given" and Veracode credentials can pick their region's URL instead.
export const DEFAULT_API_URL = 'https://api.crashtest.cloud/webhook'

export { InputError, type InputReader } from './input-fields.js'

const WEBHOOK_SECRET = /^[A-Za-z0-9._~-]+$/

/**
 * Turns raw options into validated settings. Pure: no I/O, no logging; the caller hides secrets first.
 * Every problem is collected so that one run shows all of them. Paths are relative to `baseDir`.
 */
export function parseInputs(read: InputReader, baseDir: string): Settings {
  const fields = new InputFields(read)
  const settings = parseSettings(fields, baseDir)
  fields.check()
  return settings
}

/** As parseInputs, leaving the problems in `fields` for the caller, who may add a front end's own. */
export function parseSettings(fields: InputFields, baseDir: string): Settings {
  const { read, problem } = fields

  const veracode = parseVeracodeInputs(fields)
  const api = parseEndpoint(read('webhook'), read('api-url') || veracode.baseUrl || DEFAULT_API_URL, problem)

  // A job runs for five days at the most (self-hosted runners); longer waits only hide a mistake.
  const timeoutMinutes = fields.number('timeout', 0, 'minutes', 7200)
  const pollSeconds = fields.number('poll-interval', 1, 'seconds', 3600)
  const reportPath = resolvePath(read('report-path'), baseDir)

  return {
    api: veracode.credentials ? { ...api, veracode: veracode.credentials } : api,
    wait: fields.bool('wait'),
    timeoutMs: timeoutMinutes * 60_000,
    pollIntervalMs: pollSeconds * 1000,
    requestTimeoutMs: parseRequestTimeout(fields),
    ifRunning: fields.oneOf('if-running'),
    onTimeout: fields.oneOf('on-timeout'),
    reportPath,
    policy: {
      failOn: fields.oneOf<FailOn>('fail-on'),
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

/**
 * The webhook input is the secret or the whole webhook URL; the secret is never quoted in a message.
 */
function parseEndpoint(webhookInput: string, apiUrlInput: string, problem: Problem): Settings['api'] {
  let baseUrl = apiUrlInput
  let webhook = webhookInput
  if (webhookInput === '') {
    problem(`'webhook' is required: the webhook secret of the scan target, or the whole webhook URL`)
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(webhookInput)) {
    const parsed = tryUrl(webhookInput)
    const segments = parsed?.pathname.split('/').filter(Boolean) ?? []
    const secret = tryDecode(segments.pop() ?? '')
    if (!parsed || parsed.search || !secret) {
      problem(`'webhook' looks like a URL but is not of the form https://<host>/<path>/<webhook secret>`)
    } else {
      webhook = secret
      baseUrl = `${parsed.origin}/${segments.join('/')}`
    }
  }
  if (webhook && !WEBHOOK_SECRET.test(webhook)) {
    problem(
      `'webhook' must be the webhook secret (letters, digits, '-', '_', '.', '~') or the whole webhook URL`
    )
  }
  return { webhook, baseUrl: validateBaseUrl(baseUrl, problem) }
}

function validateBaseUrl(raw: string, problem: Problem): string {
  const url = tryUrl(raw)
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return problem(`'api-url' must be an https:// URL; got '${raw}'`) ?? raw
  }
  if (url.username || url.password || url.search || url.hash) {
    return problem(`'api-url' must not contain credentials, a query or a fragment`) ?? raw
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return (
      problem(
        `'api-url' must use https://; plain http:// is accepted only for loopback hosts (127.0.0.0/8, ::1, localhost); got host '${url.hostname}'`
      ) ?? raw
    )
  }
  return url.href.replace(/\/+$/, '')
}

function tryDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

/** `high=0, medium=5`, separated by commas or new lines. */
export function parseMaxFindings(raw: string, problem: Problem): Partial<Record<KnownSeverity, number>> {
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
