// The simulator's side of the scan configuration: a strict check of the start payload, and the login
// endpoint of a scanned application.
import { afterEach, describe, expect, it } from '@jest/globals'
import type { LoginEndpoint } from '../simulator/scan-config.js'
import { startSimulator, type Simulator } from '../simulator/webhook-api.js'

let simulator: Simulator | undefined

afterEach(async () => {
  await simulator?.close()
  simulator = undefined
})

async function simulate(login?: LoginEndpoint): Promise<Simulator> {
  simulator = await startSimulator({ targets: { hook: {} }, login })
  return simulator
}

const JSON_TYPE = { 'content-type': 'application/json' }

async function start(sim: Simulator, payload: unknown, headers: Record<string, string> = JSON_TYPE) {
  const response = await fetch(`${sim.url}/hook`, { method: 'POST', body: JSON.stringify(payload), headers })
  return { status: response.status, body: (await response.json()) as { message: string } }
}

const FULL_PAYLOAD = {
  system_authentication: { basic_auth: { username: 'u', password: 'p' } },
  application_authentication: [{ username: 'u', password: 'p', url: 'https://app.test/login' }],
  parameter_authentication: [
    { type: 'HEADER', key: 'A', value: '1' },
    { type: 'HEADER', key: 'B', value: '2' }
  ]
}

describe('the start payload', () => {
  it('takes every documented key and records the parsed JSON', async () => {
    const sim = await simulate()
    expect((await start(sim, FULL_PAYLOAD)).status).toBe(200)
    const spec = { specs: { api_spec: { openapi: '3.0.0', info: {}, paths: {} } } }
    expect((await start(sim, spec)).status).toBe(200)
    expect((await start(sim, {})).status).toBe(200)
    expect(sim.requests.map(r => r.json)).toEqual([FULL_PAYLOAD, spec, {}])
  })

  it.each<[string, unknown, string]>([
    [
      'an unknown top-level key',
      { ...FULL_PAYLOAD, targets: [] },
      'the payload has an unknown field targets'
    ],
    ['a payload that is a list', [FULL_PAYLOAD], 'the payload must be object'],
    [
      'a password that is a number',
      { system_authentication: { basic_auth: { username: 'u', password: 1234 } } },
      'system_authentication.basic_auth.password must be string'
    ],
    [
      'basic auth beside system_authentication',
      { system_authentication: { username: 'u', password: 'p' } },
      "system_authentication must have required property 'basic_auth'"
    ],
    [
      'a login form that is an object, not a list',
      { application_authentication: { username: 'u', password: 'p', url: 'https://a/' } },
      'application_authentication must be array'
    ],
    [
      'a login form without its URL',
      { application_authentication: [{ username: 'u', password: 'p' }] },
      "application_authentication.0 must have required property 'url'"
    ],
    [
      'a parameter of another type than HEADER',
      { parameter_authentication: [{ type: 'COOKIE', key: 'a', value: 'b' }] },
      'parameter_authentication.0.type must be equal to constant'
    ],
    [
      'a header with an extra field',
      { parameter_authentication: [{ type: 'HEADER', key: 'a', value: 'b', name: 'a' }] },
      'parameter_authentication.0 has an unknown field name'
    ],
    ['a spec given as a string', { specs: { api_spec: 'openapi: 3.0.0' } }, 'specs.api_spec must be object'],
    [
      'a login form for an API target',
      { application_authentication: FULL_PAYLOAD.application_authentication, specs: { api_spec: {} } },
      'application_authentication is not allowed for API scan targets'
    ]
  ])('refuses %s with a 400 that says why', async (_name, payload, message) => {
    const sim = await simulate()
    const answer = await start(sim, payload)
    expect(answer.status).toBe(400)
    expect(answer.body.message).toContain(message)
  })

  it('refuses a payload that is not sent as application/json with a 415', async () => {
    const sim = await simulate()
    const answer = await start(sim, FULL_PAYLOAD, { 'content-type': 'text/plain' })
    expect(answer).toEqual({
      status: 415,
      body: { message: 'The payload must be sent as Content-Type: application/json' }
    })
    expect((await start(sim, {}, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200)
  })

  it('starts no scan when it refuses a payload', async () => {
    const sim = await simulate()
    await start(sim, { unknown: true })
    const started = await fetch(`${sim.url}/hook`, { method: 'POST' })
    expect(await started.json()).toEqual({ message: 'webhook_scan_started', data: { scanId: 1001 } })
  })
})

describe('the login endpoint', () => {
  const ENDPOINT: LoginEndpoint = {
    expectedBody: { user: 'scanner', password: 'secret' },
    answer: { json: { data: { token: 't0k' } } }
  }
  const logIn = (
    sim: Simulator,
    body: string,
    headers: Record<string, string> = JSON_TYPE,
    method = 'POST'
  ) => fetch(sim.loginUrl, { method, body: method === 'POST' ? body : undefined, headers })

  it('answers the configured JSON to the expected body, on the simulator origin', async () => {
    const sim = await simulate(ENDPOINT)
    expect(sim.loginUrl).toBe(`http://127.0.0.1:${sim.port}/auth/login`)
    const response = await logIn(sim, '{ "password": "secret", "user": "scanner" }')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual({ data: { token: 't0k' } })
    expect(sim.requests[0]).toMatchObject({ method: 'POST', path: '/auth/login' })
  })

  it('answers 401 to other credentials, to a body not sent as JSON, and echoes what it got', async () => {
    const sim = await simulate(ENDPOINT)
    const wrong = await logIn(sim, '{"user":"scanner","password":"guess"}')
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toEqual({
      message: 'Invalid credentials',
      received: { user: 'scanner', password: 'guess' }
    })
    const asText = await logIn(sim, '{"user":"scanner","password":"secret"}', {
      'content-type': 'text/plain'
    })
    expect(asText.status).toBe(401)
  })

  it('sends a text answer as it is, and plays faults first', async () => {
    const sim = await simulate({
      ...ENDPOINT,
      answer: { text: '<html>login</html>' },
      faults: [{ status: 503 }]
    })
    const body = JSON.stringify(ENDPOINT.expectedBody)
    expect((await logIn(sim, body)).status).toBe(503)
    const response = await logIn(sim, body)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await response.text()).toBe('<html>login</html>')
  })

  it('answers 405 to another method and 404 when no login endpoint is set', async () => {
    const sim = await simulate(ENDPOINT)
    expect((await logIn(sim, '', {}, 'GET')).status).toBe(405)
    await sim.close()
    const bare = await simulate()
    expect((await logIn(bare, '{}')).status).toBe(404)
  })
})
