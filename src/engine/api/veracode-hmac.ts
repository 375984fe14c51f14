// Veracode's HMAC request signing (`VERACODE-HMAC-SHA-256`), as /work/shared/docs/crashtest-webhook-api.md
// describes it.
import { createHmac, randomBytes } from 'node:crypto'

const AUTH_SCHEME = 'VERACODE-HMAC-SHA-256'
const REQUEST_VERSION = 'vcode_request_version_1'

/** API credentials without their region prefix. */
export interface VeracodeCredentials {
  apiId: string
  apiKey: string
}

/** The per-request values: a 32-hex-digit nonce and a Unix time in milliseconds. */
export interface SigningFreshness {
  nonce: string
  timestamp: number
}

/** Adds the Authorization header value to a request about to be sent to `url`. */
export type RequestSigner = (method: string, url: string) => string

const hmac = (key: Buffer, message: Buffer | string): Buffer =>
  createHmac('sha256', key).update(message).digest()

const freshValues = (): SigningFreshness => ({
  nonce: randomBytes(16).toString('hex'),
  timestamp: Date.now()
})

/**
 * Signs each request with fresh values (by default a random nonce and the clock), so that a retried request
 * is never a replay. The signature covers the host without port, the path and query as sent, and the method.
 */
export function veracodeSigner(
  { apiId, apiKey }: VeracodeCredentials,
  fresh: () => SigningFreshness = freshValues
): RequestSigner {
  return (method, url) => {
    const { nonce, timestamp } = fresh()
    const { hostname, pathname, search } = new URL(url)
    const data = `id=${apiId}&host=${hostname}&url=${pathname}${search}&method=${method.toUpperCase()}`
    // Each step of the key chain is an HMAC-SHA256 on raw bytes.
    const k1 = hmac(Buffer.from(apiKey, 'hex'), Buffer.from(nonce, 'hex'))
    const k2 = hmac(k1, String(timestamp))
    const k3 = hmac(k2, REQUEST_VERSION)
    const signature = hmac(k3, data).toString('hex')
    return `${AUTH_SCHEME} id=${apiId},ts=${timestamp},nonce=${nonce},sig=${signature}`
  }
}
