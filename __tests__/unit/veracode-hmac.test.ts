import { describe, expect, it } from '@jest/globals'
import { veracodeSigner } from '../../src/engine/api/veracode-hmac.js'
import { expectedSignature } from '../../simulator/veracode-auth.js'

// The test vector Veracode published (with revoked credentials), from the API doc.
const VECTOR = {
  apiId: '684a28d91070e4ce68b2131e43c2d79b',
  apiKey:
    '38611f3f651c90091e0cd5389e8a836fa591829505ea0acf4b8f141a4b0b1779ed016fd1819ddd07f2bee100bf7ffec9f2b29ff719f9e818f3e40865719474e3',
  nonce: '43a096639916c4f3925a44200cc2eeeb',
  timestamp: 1528471895699,
  sig: 'ec1241f682aac90594cb17c51044aee450abeecf4f3d837718109c3e933c72e2'
}
const credentials = { apiId: VECTOR.apiId, apiKey: VECTOR.apiKey }

/** A signer whose nonce and timestamp are the vector's, or those given. */
function fixedSigner(nonce = VECTOR.nonce, timestamp = VECTOR.timestamp, apiKey = VECTOR.apiKey) {
  return veracodeSigner({ apiId: VECTOR.apiId, apiKey }, () => ({ nonce, timestamp }))
}

const sigOf = (header: string): string => /,sig=([0-9a-f]{64})$/.exec(header)![1]!

describe('the published test vector', () => {
  it('is reproduced exactly as an Authorization header', () => {
    const header = fixedSigner()('GET', 'https://analysiscenter.veracode.com/api/5.0/getapplist.do')
    expect(header).toBe(
      `VERACODE-HMAC-SHA-256 id=${VECTOR.apiId},ts=1528471895699,nonce=${VECTOR.nonce},sig=${VECTOR.sig}`
    )
  })

  it('changes with each of key, nonce and timestamp', () => {
    const url = 'https://analysiscenter.veracode.com/api/5.0/getapplist.do'
    const signatures = [
      fixedSigner(),
      fixedSigner('00'.repeat(16)),
      fixedSigner(VECTOR.nonce, VECTOR.timestamp + 1),
      fixedSigner(VECTOR.nonce, VECTOR.timestamp, `00${VECTOR.apiKey.slice(2)}`)
    ].map(sign => sigOf(sign('GET', url)))
    expect(new Set(signatures).size).toBe(4)
  })
})

describe('what is signed', () => {
  // The simulator's check, written apart from the action, says what the signature must cover.
  const expected = (data: string): string =>
    expectedSignature(VECTOR.apiKey, VECTOR.nonce, String(VECTOR.timestamp), `id=${VECTOR.apiId}&${data}`)

  it('the host without port, the path with the query as sent, and the method upper-cased', () => {
    const sign = fixedSigner()
    expect(
      sigOf(sign('get', 'http://127.0.0.1:41234/dae/api/core-api/webhook/wh%2Fx/scans/7/status?a=1&b=%20'))
    ).toBe(
      expected('host=127.0.0.1&url=/dae/api/core-api/webhook/wh%2Fx/scans/7/status?a=1&b=%20&method=GET')
    )
    expect(sigOf(sign('post', 'https://API.veracode.eu:443/dae/api/core-api/webhook/abc'))).toBe(
      expected('host=api.veracode.eu&url=/dae/api/core-api/webhook/abc&method=POST')
    )
  })
})

describe('veracodeSigner', () => {
  it('signs each request with a fresh 32-hex-digit nonce and the current time', () => {
    const before = Date.now()
    const sign = veracodeSigner(credentials)
    const url = 'https://api.veracode.com/dae/api/core-api/webhook/abc/scans/1/status'
    const headers = [sign('GET', url), sign('GET', url)]
    const parsed = headers.map(header => {
      const match =
        /^VERACODE-HMAC-SHA-256 id=([0-9a-f]+),ts=(\d+),nonce=([0-9a-f]{32}),sig=([0-9a-f]{64})$/.exec(header)
      expect(match).not.toBeNull()
      return { id: match![1], ts: Number(match![2]), nonce: match![3]!, sig: match![4] }
    })
    expect(parsed[0]!.nonce).not.toBe(parsed[1]!.nonce)
    for (const { id, ts, nonce, sig } of parsed) {
      expect(id).toBe(VECTOR.apiId)
      expect(ts).toBeGreaterThanOrEqual(before)
      expect(ts).toBeLessThanOrEqual(Date.now())
      const data = `id=${VECTOR.apiId}&host=api.veracode.com&url=/dae/api/core-api/webhook/abc/scans/1/status&method=GET`
      expect(sig).toBe(expectedSignature(VECTOR.apiKey, nonce, String(ts), data))
    }
  })
})
