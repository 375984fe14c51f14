import { describe, expect, it } from '@jest/globals'
import {
  authorizationHeader,
  keyChain,
  signature,
  signedRequestOf,
  signingData,
  veracodeSigner
} from '../../src/engine/api/veracode-hmac.js'

// The test vector Veracode published (with revoked credentials), from the API doc.
const VECTOR = {
  apiId: '684a28d91070e4ce68b2131e43c2d79b',
  apiKey:
    '38611f3f651c90091e0cd5389e8a836fa591829505ea0acf4b8f141a4b0b1779ed016fd1819ddd07f2bee100bf7ffec9f2b29ff719f9e818f3e40865719474e3',
  nonce: '43a096639916c4f3925a44200cc2eeeb',
  timestamp: 1528471895699,
  request: { host: 'analysiscenter.veracode.com', pathAndQuery: '/api/5.0/getapplist.do', method: 'GET' },
  sig: 'ec1241f682aac90594cb17c51044aee450abeecf4f3d837718109c3e933c72e2'
}

// The intermediate keys of the vector, computed independently with the openssl command line, e.g.
//   echo -n $NONCE | xxd -r -p | openssl dgst -sha256 -mac HMAC -macopt hexkey:$API_KEY
//   echo -n $TS | openssl dgst -sha256 -mac HMAC -macopt hexkey:$K1
//   echo -n vcode_request_version_1 | openssl dgst -sha256 -mac HMAC -macopt hexkey:$K2
const K1 = 'fdadd4b99d0e80e2ff62c8462e649df50b7d8454bc44184385ad2d249eb0d3a2'
const K2 = 'cf2289384942ad95b591c15053dc2e91c16ec555722c4886329e697337240c98'
const K3 = '72163d368a280f9b5fc467baa1c181c391378e88b5bee0906569142d7d9d9e2f'

describe('the published test vector', () => {
  it('is reproduced exactly as an Authorization header', () => {
    const header = authorizationHeader({ apiId: VECTOR.apiId, apiKey: VECTOR.apiKey }, VECTOR.request, {
      nonce: VECTOR.nonce,
      timestamp: VECTOR.timestamp
    })
    expect(header).toBe(
      `VERACODE-HMAC-SHA-256 id=${VECTOR.apiId},ts=1528471895699,nonce=${VECTOR.nonce},sig=${VECTOR.sig}`
    )
  })

  it('signs the documented signing data', () => {
    const data = signingData(VECTOR.apiId, VECTOR.request)
    expect(data).toBe(
      'id=684a28d91070e4ce68b2131e43c2d79b&host=analysiscenter.veracode.com&url=/api/5.0/getapplist.do&method=GET'
    )
    expect(signature(VECTOR.apiKey, VECTOR.nonce, VECTOR.timestamp, data)).toBe(VECTOR.sig)
  })
})

describe('the key chain', () => {
  const chain = keyChain(VECTOR.apiKey, VECTOR.nonce, VECTOR.timestamp)

  it('k1 = HMAC(key = hex-decoded API key, message = hex-decoded nonce)', () => {
    expect(chain.k1.toString('hex')).toBe(K1)
  })

  it('k2 = HMAC(k1, the timestamp in milliseconds as decimal text)', () => {
    expect(chain.k2.toString('hex')).toBe(K2)
  })

  it('k3 = HMAC(k2, "vcode_request_version_1")', () => {
    expect(chain.k3.toString('hex')).toBe(K3)
  })

  it('changes with each of key, nonce and timestamp', () => {
    const otherNonce = keyChain(VECTOR.apiKey, '00'.repeat(16), VECTOR.timestamp)
    const otherTime = keyChain(VECTOR.apiKey, VECTOR.nonce, VECTOR.timestamp + 1)
    const otherKey = keyChain(`00${VECTOR.apiKey.slice(2)}`, VECTOR.nonce, VECTOR.timestamp)
    expect(otherNonce.k1.toString('hex')).not.toBe(K1)
    expect(otherTime.k1.toString('hex')).toBe(K1)
    expect(otherTime.k2.toString('hex')).not.toBe(K2)
    expect(otherKey.k1.toString('hex')).not.toBe(K1)
  })
})

describe('signingData', () => {
  it('upper-cases the method', () => {
    expect(signingData('id1', { host: 'h', pathAndQuery: '/p', method: 'post' })).toBe(
      'id=id1&host=h&url=/p&method=POST'
    )
  })
})

describe('signedRequestOf', () => {
  it('takes the host without port and the path with the query, as sent', () => {
    expect(
      signedRequestOf(
        'get',
        'http://127.0.0.1:41234/dae/api/core-api/webhook/wh%2Fx/scans/7/status?a=1&b=%20'
      )
    ).toEqual({
      host: '127.0.0.1',
      pathAndQuery: '/dae/api/core-api/webhook/wh%2Fx/scans/7/status?a=1&b=%20',
      method: 'GET'
    })
    expect(signedRequestOf('POST', 'https://API.veracode.eu:443/dae/api/core-api/webhook/abc')).toEqual({
      host: 'api.veracode.eu',
      pathAndQuery: '/dae/api/core-api/webhook/abc',
      method: 'POST'
    })
  })
})

describe('veracodeSigner', () => {
  it('signs each request with a fresh 32-hex-digit nonce and the current time', () => {
    let clock = 1_700_000_000_000
    const sign = veracodeSigner({ apiId: VECTOR.apiId, apiKey: VECTOR.apiKey }, () => clock++)
    const url = 'https://api.veracode.com/dae/api/core-api/webhook/abc/scans/1/status'
    const headers = [sign('GET', url), sign('GET', url)]
    const parsed = headers.map(header => {
      const match =
        /^VERACODE-HMAC-SHA-256 id=([0-9a-f]+),ts=(\d+),nonce=([0-9a-f]{32}),sig=([0-9a-f]{64})$/.exec(header)
      expect(match).not.toBeNull()
      return { id: match![1], ts: Number(match![2]), nonce: match![3]!, sig: match![4] }
    })
    expect(parsed.map(p => p.ts)).toEqual([1_700_000_000_000, 1_700_000_000_001])
    expect(parsed[0]!.nonce).not.toBe(parsed[1]!.nonce)
    for (const { id, ts, nonce, sig } of parsed) {
      expect(id).toBe(VECTOR.apiId)
      const data = signingData(VECTOR.apiId, signedRequestOf('GET', url))
      expect(sig).toBe(signature(VECTOR.apiKey, nonce, ts, data))
    }
  })
})
