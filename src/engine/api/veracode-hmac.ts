// Veracode's HMAC request signing (`VERACODE-HMAC-SHA-256`), as /work/shared/docs/crashtest-webhook-api.md
// describes it. Pure apart from `veracodeSigner`, which draws a nonce and reads the clock for each request.
import { createHmac, randomBytes } from 'node:crypto'

export const AUTH_SCHEME = 'VERACODE-HMAC-SHA-256'
export const REQUEST_VERSION = 'vcode_request_version_1'

/** API credentials without their region prefix. */
export interface VeracodeCredentials {
  apiId: string
  apiKey: string
}

/** What of a request the signature covers. */
export interface SignedRequest {
  /** Host name without port. */
  host: string
  /** Path plus `?query` when there is one, as sent (no further encoding). */
  pathAndQuery: string
  method: string
}

/** The per-request values: a 32-hex-digit nonce and a Unix time in milliseconds. */
export interface SigningFreshness {
  nonce: string
  timestamp: number
}

/** Adds the Authorization header value to a request about to be sent to `url`. */
export type RequestSigner = (method: string, url: string) => string

export function signingData(apiId: string, request: SignedRequest): string {
  return `id=${apiId}&host=${request.host}&url=${request.pathAndQuery}&method=${request.method.toUpperCase()}`
}

const hmac = (key: Buffer, message: Buffer | string): Buffer =>
  createHmac('sha256', key).update(message).digest()

/** The three derived keys: each step is an HMAC-SHA256 on raw bytes. */
export function keyChain(
  apiKey: string,
  nonce: string,
  timestamp: number
): { k1: Buffer; k2: Buffer; k3: Buffer } {
  const k1 = hmac(Buffer.from(apiKey, 'hex'), Buffer.from(nonce, 'hex'))
  const k2 = hmac(k1, String(timestamp))
  const k3 = hmac(k2, REQUEST_VERSION)
  return { k1, k2, k3 }
}

export function signature(apiKey: string, nonce: string, timestamp: number, data: string): string {
  return hmac(keyChain(apiKey, nonce, timestamp).k3, data).toString('hex')
}

export function authorizationHeader(
  credentials: VeracodeCredentials,
  request: SignedRequest,
  { nonce, timestamp }: SigningFreshness
): string {
  const sig = signature(credentials.apiKey, nonce, timestamp, signingData(credentials.apiId, request))
  return `${AUTH_SCHEME} id=${credentials.apiId},ts=${timestamp},nonce=${nonce},sig=${sig}`
}

/** The parts of a URL that are signed, read the way the HTTP client sends them. */
export function signedRequestOf(method: string, url: string): SignedRequest {
  const parsed = new URL(url)
  return {
    host: parsed.hostname,
    pathAndQuery: parsed.pathname + parsed.search,
    method: method.toUpperCase()
  }
}

/** Signs each request with a fresh nonce and timestamp, so that a retried request is never a replay. */
export function veracodeSigner(
  credentials: VeracodeCredentials,
  now: () => number = Date.now
): RequestSigner {
  return (method, url) =>
    authorizationHeader(credentials, signedRequestOf(method, url), {
      nonce: randomBytes(16).toString('hex'),
      timestamp: now()
    })
}
