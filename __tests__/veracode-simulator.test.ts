// The simulator's Veracode mode: every request to the Veracode path must carry a valid signature.
import { afterEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { veracodeSigner } from '../src/engine/api/veracode-hmac.js'
import { expectedSignature, MAX_CLOCK_SKEW_MS } from '../simulator/veracode-auth.js'
import { startSimulator, type Simulator } from '../simulator/webhook-api.js'

const API_ID = 'f00dfeedf00dfeedf00dfeedf00dfeed'
const API_KEY = '0a1b2c3d4e5f'.repeat(10) + '0a1b'

let simulator: Simulator | undefined

afterEach(async () => {
  await simulator?.close()
  simulator = undefined
})

async function veracodeSimulator(): Promise<Simulator> {
  simulator = await startSimulator({ veracodeCredentials: { [API_ID]: API_KEY }, targets: { hook: {} } })
  return simulator
}

interface Signing {
  apiId?: string
  apiKey?: string
  nonce?: string
  timestamp?: number
  /** Sign as if the request went to this URL (same method). */
  signedUrl?: string
  signedMethod?: string
}

function sign(method: string, url: string, signing: Signing = {}): string {
  const fresh = {
    nonce: signing.nonce ?? randomBytes(16).toString('hex'),
    timestamp: signing.timestamp ?? Date.now()
  }
  const credentials = { apiId: signing.apiId ?? API_ID, apiKey: signing.apiKey ?? API_KEY }
  return veracodeSigner(credentials, () => fresh)(signing.signedMethod ?? method, signing.signedUrl ?? url)
}

async function call(method: string, url: string, authorization?: string) {
  const response = await fetch(url, { method, headers: authorization ? { authorization } : {} })
  return { status: response.status, message: ((await response.json()) as { message?: string }).message }
}

describe('expectedSignature (written apart from the action)', () => {
  it('reproduces the published test vector', () => {
    expect(
      expectedSignature(
        '38611f3f651c90091e0cd5389e8a836fa591829505ea0acf4b8f141a4b0b1779ed016fd1819ddd07f2bee100bf7ffec9f2b29ff719f9e818f3e40865719474e3',
        '43a096639916c4f3925a44200cc2eeeb',
        '1528471895699',
        'id=684a28d91070e4ce68b2131e43c2d79b&host=analysiscenter.veracode.com&url=/api/5.0/getapplist.do&method=GET'
      )
    ).toBe('ec1241f682aac90594cb17c51044aee450abeecf4f3d837718109c3e933c72e2')
  })
})

describe('the Veracode path in Veracode mode', () => {
  it('serves a scan whose every request is signed, and records each check', async () => {
    const sim = await veracodeSimulator()
    expect(sim.veracodeUrl).toBe(`http://127.0.0.1:${sim.port}/dae/api/core-api/webhook`)
    const start = `${sim.veracodeUrl}/hook`
    expect(await call('POST', start, sign('POST', start))).toEqual({
      status: 200,
      message: 'webhook_scan_started'
    })
    const status = `${sim.veracodeUrl}/hook/scans/1001/status?x=1`
    expect((await call('GET', status, sign('GET', status))).status).toBe(200)
    expect(sim.requests.map(r => r.signature)).toEqual([
      { verified: true, apiId: API_ID },
      { verified: true, apiId: API_ID }
    ])
  })

  it('accepts a timestamp up to 5 minutes off, either way', async () => {
    const sim = await veracodeSimulator()
    const url = `${sim.veracodeUrl}/hook`
    for (const offset of [-MAX_CLOCK_SKEW_MS + 10_000, MAX_CLOCK_SKEW_MS - 10_000]) {
      expect((await call('POST', url, sign('POST', url, { timestamp: Date.now() + offset }))).status).toBe(
        200
      )
    }
  })

  it.each<[string, (url: string) => string | undefined, string]>([
    ['no Authorization header', () => undefined, 'Missing Authorization header'],
    ['another scheme', () => `Bearer ${API_ID}`, 'Malformed Authorization header'],
    [
      'a header without the nonce',
      url => sign('POST', url).replace(/,nonce=[0-9a-f]+/, ''),
      'Malformed Authorization header'
    ],
    ['an unknown API id', url => sign('POST', url, { apiId: 'ab'.repeat(16) }), 'Unknown API id'],
    ['a wrong key', url => sign('POST', url, { apiKey: 'ff'.repeat(64) }), 'Signature does not match'],
    [
      'a timestamp 6 minutes old',
      url => sign('POST', url, { timestamp: Date.now() - 6 * 60_000 }),
      'more than 5 minutes off'
    ],
    [
      'a timestamp 6 minutes ahead',
      url => sign('POST', url, { timestamp: Date.now() + 6 * 60_000 }),
      'more than 5 minutes off'
    ],
    [
      'a signature of another path',
      url => sign('POST', url, { signedUrl: `${url}/scans/1001/status` }),
      'Signature does not match'
    ],
    [
      'a signature of another host',
      url => sign('POST', url, { signedUrl: url.replace('127.0.0.1', 'localhost') }),
      'Signature does not match'
    ],
    [
      'a signature of another method',
      url => sign('POST', url, { signedMethod: 'GET' }),
      'Signature does not match'
    ],
    ['a signature over host:port', url => signedWithPort('POST', url), 'Signature does not match']
  ])('refuses %s with 401 and a JSON message, before any fault or target', async (_case, header, reason) => {
    const sim = await veracodeSimulator()
    sim.addTarget('faulty', { faults: { start: [{ status: 503 }] } })
    for (const target of ['hook', 'faulty', 'unknown-hook']) {
      const url = `${sim.veracodeUrl}/${target}`
      const answer = await call('POST', url, header(url))
      expect(answer.status).toBe(401)
      expect(answer.message).toContain(reason)
    }
    expect(sim.requests.every(r => r.signature?.verified === false)).toBe(true)
    // The refused start used no fault: a correctly signed one meets the 503 first.
    const url = `${sim.veracodeUrl}/faulty`
    expect((await call('POST', url, sign('POST', url))).status).toBe(503)
  })

  it('refuses a reused nonce, even with a fresh timestamp', async () => {
    const sim = await veracodeSimulator()
    const url = `${sim.veracodeUrl}/hook`
    const nonce = randomBytes(16).toString('hex')
    const timestamp = Date.now()
    expect((await call('POST', url, sign('POST', url, { nonce, timestamp }))).status).toBe(200)
    expect(await call('POST', url, sign('POST', url, { nonce, timestamp }))).toEqual({
      status: 401,
      message: 'Nonce already used: the request is a replay'
    })
    expect((await call('POST', url, sign('POST', url, { nonce, timestamp: timestamp + 1 }))).status).toBe(401)
    expect(sim.requests.filter(r => r.signature?.verified).length).toBe(1)
  })

  it('leaves the legacy path unsigned, and the Veracode path unsigned outside Veracode mode', async () => {
    const sim = await veracodeSimulator()
    expect((await call('POST', `${sim.url}/hook`)).status).toBe(200)
    expect(sim.requests[0]?.signature).toBeUndefined()
    await sim.close()
    simulator = await startSimulator({ targets: { hook: {} } })
    expect((await call('POST', `${simulator.veracodeUrl}/hook`)).status).toBe(200)
  })
})

/** A header whose signature covers `host:port`, which the doc rules out; otherwise correct. */
function signedWithPort(method: string, url: string): string {
  const nonce = randomBytes(16).toString('hex')
  const ts = String(Date.now())
  const { host, pathname } = new URL(url)
  expect(host).toMatch(/:\d+$/)
  const sig = expectedSignature(
    API_KEY,
    nonce,
    ts,
    `id=${API_ID}&host=${host}&url=${pathname}&method=${method}`
  )
  return `VERACODE-HMAC-SHA-256 id=${API_ID},ts=${ts},nonce=${nonce},sig=${sig}`
}
