// The simulator's Veracode API gateway: checks the `VERACODE-HMAC-SHA-256` Authorization header of every
// request to the Veracode DAST Essentials path, as /work/shared/docs/crashtest-webhook-api.md describes it.
// Written apart from the action's src/api/veracode-hmac.ts on purpose, so that one mistake shared by both
// sides cannot make a wrong signature pass; both are tested against the published test vector.
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export type SignatureCheck = { verified: true; apiId: string } | { verified: false; reason: string }

/** How far a request's timestamp may be from the gateway's clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000

const SCHEME = 'VERACODE-HMAC-SHA-256'
const FIELDS = ['id', 'ts', 'nonce', 'sig'] as const
const FORMATS: Record<(typeof FIELDS)[number], RegExp> = {
  id: /^[A-Za-z0-9]+$/,
  ts: /^\d{1,16}$/,
  nonce: /^[0-9a-fA-F]{32}$/,
  sig: /^[0-9a-fA-F]{64}$/
}

/** hex(HMAC(HMAC(HMAC(HMAC(hex(key), hex(nonce)), ts), "vcode_request_version_1"), data)). */
export function expectedSignature(apiKeyHex: string, nonceHex: string, ts: string, data: string): string {
  const step = (key: Buffer, message: Buffer | string) => createHmac('sha256', key).update(message).digest()
  const nonceKey = step(Buffer.from(apiKeyHex, 'hex'), Buffer.from(nonceHex, 'hex'))
  const dateKey = step(nonceKey, ts)
  const signatureKey = step(dateKey, 'vcode_request_version_1')
  return step(signatureKey, data).toString('hex')
}

export class VeracodeGateway {
  private readonly keys: Map<string, string>
  private readonly usedNonces = new Set<string>()

  /** `credentials`: API id → API key (hex), both without region prefix. */
  constructor(
    credentials: Record<string, string>,
    private readonly now: () => number = Date.now
  ) {
    this.keys = new Map(Object.entries(credentials))
  }

  check(request: IncomingMessage): SignatureCheck {
    const header = request.headers.authorization
    if (!header) return refuse(`Missing Authorization header: ${SCHEME} expected`)
    const fields = parseHeader(header)
    if (!fields) return refuse(`Malformed Authorization header: ${SCHEME} id=…,ts=…,nonce=…,sig=… expected`)
    const key = this.keys.get(fields.id)
    if (key === undefined) return refuse('Unknown API id')
    if (Math.abs(this.now() - Number(fields.ts)) > MAX_CLOCK_SKEW_MS) {
      return refuse('Request timestamp is more than 5 minutes off the server time')
    }
    // host without port, url is the request target as sent (path and query), method as sent.
    const host = (request.headers.host ?? '').replace(/:\d+$/, '')
    const data = `id=${fields.id}&host=${host}&url=${request.url ?? ''}&method=${request.method ?? ''}`
    const expected = Buffer.from(expectedSignature(key, fields.nonce, fields.ts, data), 'hex')
    if (!timingSafeEqual(expected, Buffer.from(fields.sig, 'hex'))) return refuse('Signature does not match')
    const nonce = `${fields.id}:${fields.nonce.toLowerCase()}`
    if (this.usedNonces.has(nonce)) return refuse('Nonce already used: the request is a replay')
    this.usedNonces.add(nonce)
    return { verified: true, apiId: fields.id }
  }
}

function refuse(reason: string): SignatureCheck {
  return { verified: false, reason }
}

function parseHeader(header: string): Record<(typeof FIELDS)[number], string> | undefined {
  const space = header.indexOf(' ')
  if (space < 0 || header.slice(0, space) !== SCHEME) return undefined
  const pairs = header
    .slice(space + 1)
    .split(',')
    .map(pair => {
      const equals = pair.indexOf('=')
      return [pair.slice(0, equals), pair.slice(equals + 1)] as const
    })
  const fields = Object.fromEntries(pairs) as Record<string, string>
  if (pairs.length !== FIELDS.length) return undefined
  for (const name of FIELDS) {
    if (!FORMATS[name].test(fields[name] ?? '')) return undefined
  }
  return fields as Record<(typeof FIELDS)[number], string>
}
