import { createHash } from 'node:crypto'
import type { Finding } from './findings.js'
import { percentDecoded } from './text.js'

export interface FindingLocation {
  /**
   * The URL the message names, normalised: no scheme, lower-case host, no default port, the path
   * percent-decoded and without a trailing slash, the query reduced to its sorted parameter names.
   */
  url?: string
  /** The parameter the message names. */
  parameter?: string
}

// A URL with a scheme, or a bare host name with a dot and a top-level label, each optionally quoted.
const URL_WITH_SCHEME = /\bhttps?:\/\/[^\s"'`<>]+/i
const URL_WITHOUT_SCHEME = /(?<![\w@.-])(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d{1,5})?(?:\/[^\s"'`<>]*)?/i
const PARAMETER = /\bparam(?:eter)?s?\b[\s:=]*["'`]?([\w.[\]-]+)["'`]?/i
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/
// Quotes the message may carry HTML-escaped (`&quot;https://…&quot;`): read as the quotes they stand for.
const ESCAPED_QUOTES = /&(?:quot|apos|#0*34|#0*39|#x0*22|#x0*27|lt|gt);/gi

/** The URL a finding's message names, exactly as the message writes it (without surrounding quotes). */
export function urlInMessage(message: string): string | undefined {
  const text = unescapeQuotes(message)
  const raw = (URL_WITH_SCHEME.exec(text) ?? URL_WITHOUT_SCHEME.exec(text))?.[0]
  return raw?.replace(TRAILING_PUNCTUATION, '') || undefined
}

/** Finds the URL and the parameter a finding's message names, whatever its wording. */
export function locate(message: string): FindingLocation {
  const location: FindingLocation = {}
  const raw = urlInMessage(message)
  if (raw) location.url = normaliseUrl(raw)
  const parameter = PARAMETER.exec(unescapeQuotes(message))?.[1]
  if (parameter) location.parameter = parameter.replace(TRAILING_PUNCTUATION, '')
  return location
}

function unescapeQuotes(message: string): string {
  return message.replace(ESCAPED_QUOTES, '"').replace(/&amp;/gi, '&')
}

export function normaliseUrl(raw: string): string {
  const withScheme = /^https?:\/\//i.test(raw) ? raw : `https://${raw}`
  try {
    const url = new URL(withScheme)
    const defaultPort = url.port === '' || url.port === '443' || url.port === '80'
    const host = url.hostname + (defaultPort ? '' : `:${url.port}`)
    // Query values carry the attack payload, which changes between scans; the names do not.
    const names = [...new Set([...url.searchParams.keys()])].sort()
    // One path, however the scanner quoted its characters (`café`, `caf%C3%A9`, `caf%c3%a9`).
    const path = percentDecoded(url.pathname).replace(/\/+$/, '')
    return `${host}${path}${names.length > 0 ? `?${names.join('&')}` : ''}`
  } catch {
    return raw.toLowerCase()
  }
}

// Host names the URL patterns do not take for a URL: IP addresses (v4, or v6 in brackets) and localhost,
// each with an optional port.
const BARE_HOSTS =
  /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b|\[[0-9a-f:.]+\](?::\d{1,5})?|\blocalhost(?::\d{1,5})?\b/gi

/** The message reduced to what does not change between scans of the same finding, on any host. */
function normaliseMessage(message: string): string {
  return message.replace(BARE_HOSTS, '').toLowerCase().replace(/["'`]/g, '').replace(/\s+/g, ' ').trim()
}

/** A normalised URL without its host and port: the path and the sorted query parameter names. */
export function pathOf(normalisedUrl: string): string {
  const start = normalisedUrl.search(/[/?]/)
  return start < 0 ? '' : normalisedUrl.slice(start)
}

/**
 * A finding's identity across scans, whichever host of the application was scanned (staging, a preview,
 * production): 16 hex characters of a SHA-256 over the scanner, the title (already without its running
 * counter), and the path, the query parameter names and the parameter the message names, or, when the
 * message names no URL, the normalised message without host names. The host is left out so that a
 * suppression or a baseline made on one environment applies to the others.
 */
export function fingerprint(finding: Pick<Finding, 'scanner' | 'title' | 'message'>): string {
  const { url, parameter } = locate(finding.message)
  const where = url
    ? `path=${pathOf(url)}\nparameter=${parameter ?? ''}`
    : `message=${normaliseMessage(finding.message)}`
  const identity = `scanner=${finding.scanner.toLowerCase()}\ntitle=${finding.title.trim().toLowerCase()}\n${where}`
  return createHash('sha256').update(identity).digest('hex').slice(0, 16)
}
