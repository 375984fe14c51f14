import { basename, dirname, extname, join } from 'node:path'
import type { ApiSettings } from '../api/webhook-client.js'
import type { VeracodeCredentials } from '../api/veracode-hmac.js'
import type { Problem } from './input-fields.js'
import { isLoopback, tryUrl } from './urls.js'

/** One scan target: its webhook, where its report goes, and the scan to follow instead of starting one. */
export interface Target {
  /** As the `webhook` line names it, or `target-N` for a line without a name. */
  name: string
  api: ApiSettings
  /** Absolute path of its JUnit report: `report-path`, with `-NAME` before the extension when there are several. */
  reportPath: string
  /** `scan-id`: follow this scan instead of starting one. */
  scanId?: string
}

export interface WebhookLine {
  /** The name the line gives, if any. */
  name?: string
  /** The webhook secret or whole URL: a credential, never quoted. */
  value: string
}

/** `NAME: value`: a name of letters, digits, `.`, `_` or `-`, a colon and a space. A URL's `https://` is no name. */
const NAMED = /^([A-Za-z0-9._-]+): (.*)$/s
const WEBHOOK_SECRET = /^[A-Za-z0-9._~-]+$/
const WHOLE_URL = /^[a-z][a-z0-9+.-]*:\/\//i
const SCAN_ID = /^\d{1,15}$/

/** The lines of a `webhook` (or `scan-id`) value, blank ones left out, each split into name and value. */
export function namedLines(raw: string): WebhookLine[] {
  return raw
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line !== '')
    .map(line => {
      const named = NAMED.exec(line)
      return named ? { name: named[1], value: (named[2] ?? '').trim() } : { value: line }
    })
}

export function isWholeUrl(webhook: string): boolean {
  return WHOLE_URL.test(webhook)
}

export interface TargetOptions {
  webhook: string
  scanId: string
  /** `api-url`, else the Veracode region's URL, else the legacy Crashtest API. */
  baseUrl: string
  veracode?: VeracodeCredentials
  reportPath: string
}

/**
 * The targets the `webhook` lines name, each with its API endpoint, report path and the scan to follow.
 * One line behaves as a single webhook always has: its report is `report-path` itself. Messages name a
 * target by its name and line, never quoting a webhook.
 */
export function parseTargets(options: TargetOptions, problem: Problem): Target[] {
  const lines = namedLines(options.webhook)
  if (lines.length === 0) {
    problem(`'webhook' is required: the webhook secret of the scan target, or the whole webhook URL`)
    return []
  }
  const several = lines.length > 1
  const targets = lines.map((line, index): Target => {
    const name = line.name ?? `target-${index + 1}`
    const where = several ? `'webhook' line ${index + 1} (${name})` : `'webhook'`
    const api = parseEndpoint(line.value, options.baseUrl, where, problem)
    return {
      name,
      api: options.veracode ? { ...api, veracode: options.veracode } : api,
      reportPath: several ? withSuffix(options.reportPath, name) : options.reportPath
    }
  })
  const names = targets.map(target => target.name)
  for (const name of new Set(names.filter((name, index) => names.indexOf(name) !== index))) {
    problem(`'webhook' names the target '${name}' more than once; give each target its own name`)
  }
  assignScanIds(targets, options.scanId, problem)
  return targets
}

/** `crashtest-report.xml` → `crashtest-report-shop.xml`. */
function withSuffix(path: string, name: string): string {
  const extension = extname(path)
  return join(dirname(path), `${basename(path, extension)}-${name}${extension}`)
}

/** `scan-id`: the id of the one target's scan, or `NAME: ID` lines matched to the targets by name. */
function assignScanIds(targets: Target[], raw: string, problem: Problem): void {
  const byName = new Map(targets.map(target => [target.name, target]))
  for (const [index, line] of namedLines(raw).entries()) {
    const where = `'scan-id' line ${index + 1}`
    const target =
      line.name === undefined ? (targets.length === 1 ? targets[0] : undefined) : byName.get(line.name)
    if (line.name === undefined && targets.length > 1) {
      problem(`${where} gives no target name: with several targets, write one 'NAME: ID' a line`)
    } else if (!target) {
      problem(
        `${where} names the target '${line.name}', which 'webhook' does not name (${[...byName.keys()].join(', ')})`
      )
    } else if (!SCAN_ID.test(line.value)) {
      problem(`${where} must be a scan id (decimal digits); got '${line.value}'`)
    } else if (target.scanId !== undefined) {
      problem(`${where} gives the target '${target.name}' a second scan id`)
    } else {
      target.scanId = line.value
    }
  }
}

/** One webhook: the secret or the whole webhook URL; the secret is never quoted in a message. */
function parseEndpoint(
  webhookInput: string,
  baseUrlInput: string,
  where: string,
  problem: Problem
): ApiSettings {
  let baseUrl = baseUrlInput
  let webhook = webhookInput
  if (isWholeUrl(webhookInput)) {
    const parsed = tryUrl(webhookInput)
    const segments = parsed?.pathname.split('/').filter(Boolean) ?? []
    const secret = tryDecode(segments.pop() ?? '')
    if (!parsed || parsed.search || !secret) {
      problem(`${where} looks like a URL but is not of the form https://<host>/<path>/<webhook secret>`)
    } else {
      webhook = secret
      baseUrl = `${parsed.origin}/${segments.join('/')}`
    }
  }
  if (webhook === '') {
    problem(`${where} names no webhook: give the webhook secret of the scan target, or the whole webhook URL`)
  } else if (!WEBHOOK_SECRET.test(webhook)) {
    problem(
      `${where} must be the webhook secret (letters, digits, '-', '_', '.', '~') or the whole webhook URL`
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
