import type { RunLog } from '../log/run-log.js'
import { ApiError, describeHttpFailure, errorMessage, redact } from './errors.js'
import { HttpTransport, REPORT_TOO_LARGE, type HttpAnswer, type HttpRequest } from './http.js'
import { parseRetryAfter } from './retry.js'
import { veracodeSigner, type RequestSigner, type VeracodeCredentials } from './veracode-hmac.js'

export interface ApiSettings {
  /** Base URL of the webhook API, without a trailing slash. */
  baseUrl: string
  /** The webhook secret: a credential, hidden from the log as soon as it is read. */
  webhook: string
  /** Veracode API credentials (secrets, without region prefix): every request is signed with them. */
  veracode?: VeracodeCredentials
}

export type StartAnswer = { kind: 'started'; scanId: string } | { kind: 'already-running'; message: string }

const DIGITS = /^\d{1,15}$/

/**
 * A number the API documents (a status code), as a JSON number or as a string of decimal digits: the
 * service's own shell recipe reads `"102"` as 102 (jq, then a shell comparison), and so does this client.
 */
function documentedNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  return typeof value === 'string' && DIGITS.test(value) ? Number(value) : undefined
}

/** A scan id: a whole JSON number, or a string of decimal digits, kept as its digits. */
function documentedId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined
  return typeof value === 'string' && DIGITS.test(value) ? value : undefined
}

/** Reports of big targets run to tens of MB; anything beyond this is not a report. */
export const MAX_REPORT_BYTES = 512 * 1024 * 1024
export const REQUEST_TIMEOUT_MS = 30_000

const ALREADY_RUNNING = /already running/i
const HTTP_CLIENT_TIMEOUT = /^Request timeout/
const NOT_PROCESSED_STATUSES = [429, 502, 503, 504]
// Network errors raised before the request could reach the service.
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']
// The service's certificate could not be verified: the request never left the TLS handshake, and trying
// again changes nothing (a TLS-inspecting proxy's CA is missing, most often).
const CERTIFICATE_CODES = [
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID'
]

/**
 * The three calls of the webhook API. Each call is one HTTP exchange; whether and when to try again
 * is decided by the caller, which knows what the call means (polling, start, report).
 */
export class WebhookClient {
  private readonly transport: HttpTransport
  /** Signs every request when Veracode API credentials are set. */
  private readonly signer?: RequestSigner
  /** Values no message may carry, should the service or the network echo them. */
  private readonly secrets: string[]

  constructor(
    private readonly settings: ApiSettings,
    private readonly timeoutMs: number,
    /** Names options in messages as the front end's user writes them (RunLog's `option`). */
    private readonly words: Pick<RunLog, 'option'>
  ) {
    this.transport = new HttpTransport('crashtest-dast-action', timeoutMs)
    this.signer = settings.veracode && veracodeSigner(settings.veracode)
    this.secrets = [settings.webhook, settings.veracode?.apiId ?? '', settings.veracode?.apiKey ?? '']
  }

  async startScan(payload?: object): Promise<StartAnswer> {
    const request: HttpRequest = payload
      ? {
          method: 'POST',
          url: this.url(),
          body: JSON.stringify(payload),
          headers: { 'content-type': 'application/json' }
        }
      : { method: 'POST', url: this.url(), body: '' }
    const answer = await this.exchange('The start request', request)
    const json = parseJson(answer.body)
    const message = stringField(json, 'message')
    if (message !== undefined && ALREADY_RUNNING.test(message)) {
      return { kind: 'already-running', message: redact(message, this.secrets) }
    }
    this.ensureOk('The start request', answer, json)
    const scanId = documentedId((json as { data?: { scanId?: unknown } } | undefined)?.data?.scanId)
    if (scanId === undefined) {
      throw new ApiError(
        `The start request answered HTTP ${answer.status} without a scan id (data.scanId); a scan may have started. Check the target in the Crashtest dashboard.`,
        { status: answer.status, apiMessage: message, transient: false, notProcessed: false }
      )
    }
    return { kind: 'started', scanId }
  }

  /** The scan's status code: `data.status.status_code`, or `data.status.code` of the early API. */
  async getStatus(scanId: string): Promise<number> {
    const what = 'The status request'
    const answer = await this.exchange(what, { method: 'GET', url: this.url('scans', scanId, 'status') })
    const json = parseJson(answer.body)
    this.ensureOk(what, answer, json)
    const status = (json as { data?: { status?: { status_code?: unknown; code?: unknown } } } | undefined)
      ?.data?.status
    const code = documentedNumber(status?.status_code ?? status?.code)
    if (code === undefined) {
      throw new ApiError(
        `${what} answered HTTP ${answer.status} without a status code (data.status.status_code)`,
        { status: answer.status, transient: true, notProcessed: false }
      )
    }
    return code
  }

  /**
   * Streams the JUnit report to `path`, and to `reader` as it arrives. A 400 means the report is not
   * ready yet (transient).
   */
  async downloadReport(scanId: string, path: string, reader?: (chunk: Buffer) => void): Promise<void> {
    const what = 'The report request'
    const request: HttpRequest = {
      method: 'GET',
      url: this.url('scans', scanId, 'report', 'junit'),
      headers: { accept: 'application/xml, text/xml, */*' }
    }
    let answer: HttpAnswer
    try {
      answer = await this.transport.download(this.signed(request), path, MAX_REPORT_BYTES, reader)
    } catch (error) {
      throw this.networkError(what, error)
    }
    if (answer.status === 400) {
      const apiMessage = stringField(parseJson(answer.body), 'message')
      throw new ApiError(`${describeHttpFailure(what, 400, apiMessage)} (the report is not ready yet)`, {
        status: 400,
        apiMessage,
        transient: true,
        notProcessed: true,
        retryAfterMs: parseRetryAfter(header(answer, 'retry-after'))
      })
    }
    this.ensureOk(what, answer, parseJson(answer.body))
  }

  close(): void {
    this.transport.close()
  }

  private url(...segments: string[]): string {
    return [
      this.settings.baseUrl,
      encodeURIComponent(this.settings.webhook),
      ...segments.map(encodeURIComponent)
    ].join('/')
  }

  /** The request with its Authorization header, computed now: each attempt gets a fresh nonce and time. */
  private signed(request: HttpRequest): HttpRequest {
    if (!this.signer) return request
    return {
      ...request,
      headers: { ...request.headers, authorization: this.signer(request.method, request.url) }
    }
  }

  private async exchange(what: string, request: HttpRequest): Promise<HttpAnswer> {
    try {
      return await this.transport.send(this.signed(request))
    } catch (error) {
      throw this.networkError(what, error)
    }
  }

  private networkError(what: string, error: unknown): ApiError {
    const code = (error as { code?: string }).code
    // The HTTP client's own text quotes the request path, which holds the webhook secret.
    const reason = HTTP_CLIENT_TIMEOUT.test(errorMessage(error))
      ? `no answer within ${this.timeoutMs / 1000} s (request-timeout)`
      : redact(errorMessage(error), this.secrets)
    // A host that does not exist is a typo in the URL far more often than an outage: no retry helps.
    if (code === 'ENOTFOUND') {
      const host = new URL(this.settings.baseUrl).hostname
      return new ApiError(
        `${what} failed: the host ${host} was not found (DNS: ENOTFOUND); check the API URL or the webhook URL for a typo`,
        { transient: false, notProcessed: true }
      )
    }
    if (code !== undefined && CERTIFICATE_CODES.includes(code)) {
      return new ApiError(
        `${what} failed: the service's TLS certificate could not be verified (${reason}); behind a proxy that inspects TLS, give its CA certificate in NODE_EXTRA_CA_CERTS`,
        { transient: false, notProcessed: true }
      )
    }
    return new ApiError(`${what} failed: ${reason}`, {
      transient: code !== REPORT_TOO_LARGE,
      notProcessed: code !== undefined && NOT_SENT_CODES.includes(code)
    })
  }

  private ensureOk(what: string, answer: HttpAnswer, json: unknown): void {
    if (answer.status >= 200 && answer.status <= 299) {
      if (json === undefined && answer.body !== '') {
        throw new ApiError(`${what} answered HTTP ${answer.status} with a body that is not JSON`, {
          status: answer.status,
          transient: true,
          notProcessed: false
        })
      }
      return
    }
    const apiMessage = stringField(json, 'message')
    const transient = answer.status === 429 || answer.status >= 500
    const refused = answer.status === 401 || answer.status === 403 ? ` (${this.refusalHint()})` : ''
    throw new ApiError(
      describeHttpFailure(what, answer.status, apiMessage && redact(apiMessage, this.secrets)) + refused,
      {
        status: answer.status,
        apiMessage,
        transient,
        notProcessed: NOT_PROCESSED_STATUSES.includes(answer.status),
        retryAfterMs: parseRetryAfter(header(answer, 'retry-after'))
      }
    )
  }

  /** What a 401 or 403 means for this client, and what to check; it never quotes a credential. */
  private refusalHint(): string {
    const option = (name: string) => this.words.option(name)
    return this.signer
      ? `the service refused the request's Veracode signature or API credentials: check that ${option('veracode-api-id')} and ` +
          `${option('veracode-api-key')} are a current, unrevoked API credential pair of the account that owns the ` +
          `target, that ${option('region')} or ${option('api-url')} is that account's region, and that this machine's clock is right`
      : `the service refused the request: check ${option('webhook')} and ${option('api-url')}; Veracode DAST Essentials ` +
          `also needs ${option('veracode-api-id')} and ${option('veracode-api-key')}`
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

function stringField(json: unknown, key: string): string | undefined {
  const value = (json as Record<string, unknown> | undefined)?.[key]
  return typeof value === 'string' ? value.slice(0, 500) : undefined
}

function header(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name]
  return Array.isArray(value) ? value[0] : value
}
