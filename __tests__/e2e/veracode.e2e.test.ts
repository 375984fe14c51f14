// Veracode DAST Essentials: the bundled action signs every request, retries included, and the simulator's
// Veracode gateway checks each signature as the API doc describes. Wrong credentials are result `error`
// with a message that says what to check; the API id and key never show.
import { describe, expect, it } from '@jest/globals'
import { expectNoSecrets } from './harness.js'
import { failureMessage, runScenario, WEBHOOK, type ScenarioRun } from './fixtures.js'

// Distinctive credentials: any appearance outside `::add-mask::` is a leak.
const API_ID = 'e2eA9c1dF00d5e7a1b2c3d4e5f6a7b8c'
const API_KEY = 'c0ffee5ec2e7'.repeat(10) + 'beef0fad'
const KNOWN = { [API_ID]: API_KEY }
const CREDENTIALS = { 'veracode-api-id': API_ID, 'veracode-api-key': API_KEY }
const SIGNED_PATH = '/dae/api/core-api/webhook/'
const HEADER =
  /^VERACODE-HMAC-SHA-256 id=(?<id>[A-Za-z0-9]+),ts=(?<ts>\d+),nonce=(?<nonce>[0-9a-f]{32}),sig=[0-9a-f]{64}$/

/** Every request went to the Veracode path and passed the gateway's check, each with its own nonce. */
function expectEveryRequestSigned(run: ScenarioRun): void {
  expect(run.requests.length).toBeGreaterThan(0)
  const nonces = run.requests.map(request => {
    expect(request.path.startsWith(SIGNED_PATH)).toBe(true)
    expect(request.signature).toEqual({ verified: true, apiId: API_ID })
    const fields = HEADER.exec(String(request.headers.authorization))?.groups
    expect(fields?.id).toBe(API_ID)
    // Signed when sent, not when the run began: the timestamp is that of this very request.
    expect(Math.abs(Number(fields?.ts) - request.at)).toBeLessThan(2000)
    return fields?.nonce
  })
  expect(new Set(nonces).size).toBe(run.requests.length)
  // The headers themselves are one-time values, but no reason to print them either.
  expectNoSecrets(
    run,
    run.requests.map(request => String(request.headers.authorization))
  )
}

describe('a full scan in Veracode mode', () => {
  it('signs start, every status poll, every retry and the report, and passes every check', async () => {
    const run = await runScenario({
      veracodeCredentials: KNOWN,
      secrets: [API_ID, API_KEY],
      target: {
        queuedMs: 500,
        runningMs: 1500,
        reportNotReady: 1,
        faults: { start: [{ status: 503 }], status: [{ status: 502 }], report: [{ status: 503 }] }
      },
      inputs: { ...CREDENTIALS, 'fail-on': 'never' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'passed', 'scan-id': '1001', findings: '8' })
    expect(run.count('start')).toBe(2)
    expect(run.count('status')).toBeGreaterThanOrEqual(3)
    expect(run.count('report')).toBe(3)
    expect(run.requests).toHaveLength(run.count('start') + run.count('status') + run.count('report'))
    expectEveryRequestSigned(run)
    expect(run.stdout).toContain('requests signed with the Veracode API credentials')
    expect(run.commands.map(c => c.properties.title)).not.toContain('Crashtest: the legacy API is called')
    const masks = run.commands.filter(c => c.command === 'add-mask').map(c => c.message)
    expect(masks).toEqual(expect.arrayContaining([WEBHOOK, API_ID, API_KEY]))
  })

  it('strips the region prefix from the credentials and signs for the explicit api-url', async () => {
    // The prefix says EU, but the explicit api-url (the simulator) is used; the gateway knows the
    // credentials without prefix only, so every check passes only if the prefix was stripped.
    const prefixedId = `vera01ei-${API_ID}`
    const prefixedKey = `vera01ei-${API_KEY}`
    const run = await runScenario({
      veracodeCredentials: KNOWN,
      secrets: [prefixedId, prefixedKey, API_ID, API_KEY],
      inputs: { 'veracode-api-id': prefixedId, 'veracode-api-key': prefixedKey, 'fail-on': 'never' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.result).toBe('passed')
    expect(run.count('report')).toBe(1)
    expectEveryRequestSigned(run)
    const masks = run.commands.filter(c => c.command === 'add-mask').map(c => c.message)
    expect(masks).toEqual(expect.arrayContaining([prefixedId, prefixedKey, API_ID, API_KEY]))
  })

  it('signs when the webhook is given as the whole Veracode webhook URL', async () => {
    const run = await runScenario({
      veracodeCredentials: KNOWN,
      secrets: [API_ID, API_KEY],
      webhookAsUrl: true,
      inputs: { ...CREDENTIALS, 'fail-on': 'never' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.result).toBe('passed')
    expectEveryRequestSigned(run)
  })
})

describe('credentials the service refuses', () => {
  it.each([
    ['a wrong key', { ...CREDENTIALS, 'veracode-api-key': 'ab'.repeat(64) }, 'Signature does not match'],
    ['an unknown id', { ...CREDENTIALS, 'veracode-api-id': 'ab'.repeat(16) }, 'Unknown API id']
  ])('%s: result error, no retry, a message saying what to check', async (_case, inputs, reason) => {
    const run = await runScenario({
      veracodeCredentials: KNOWN,
      secrets: [API_ID, API_KEY, inputs['veracode-api-id'], inputs['veracode-api-key']],
      inputs
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(run.outputs['scan-id']).toBeUndefined()
    expect(run.requests).toHaveLength(1)
    expect(run.requests[0]?.signature).toEqual({ verified: false, reason: expect.stringContaining(reason) })
    const message = failureMessage(run)
    expect(message).toContain(`Could not start the scan: The start request answered HTTP 401: ${reason}`)
    expect(message).toContain("refused the request's Veracode signature or API credentials")
    expect(message).toContain("check that 'veracode-api-id' and 'veracode-api-key' are a current")
    expect(message).toContain("that 'region' or 'api-url' is that account's region")
    expect(run.summary).toContain('HTTP 401')
  })

  it('a 401 on a status poll (credentials revoked during the scan) ends the run at once', async () => {
    const run = await runScenario({
      veracodeCredentials: KNOWN,
      secrets: [API_ID, API_KEY],
      target: { faults: { status: [{ status: 401, body: '{"message":"API credentials revoked"}' }] } },
      inputs: CREDENTIALS
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({ result: 'error', 'scan-id': '1001' })
    expect(run.count('status')).toBe(1)
    expect(run.count('report')).toBe(0)
    const message = failureMessage(run)
    expect(message).toContain(
      'Could not follow scan 1001: The status request answered HTTP 401: API credentials revoked'
    )
    expect(message).toContain("refused the request's Veracode signature or API credentials")
  })

  it('a 403 on the report ends the run at once, saying the scan has finished', async () => {
    const run = await runScenario({
      veracodeCredentials: KNOWN,
      secrets: [API_ID, API_KEY],
      target: { faults: { report: [{ status: 403 }] } },
      inputs: CREDENTIALS
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({ result: 'error', 'scan-id': '1001' })
    expect(run.count('report')).toBe(1)
    const message = failureMessage(run)
    expect(message).toContain('The report request answered HTTP 403: Forbidden')
    expect(message).toContain("check that 'veracode-api-id' and 'veracode-api-key'")
    expect(message).toContain('The scan itself has finished')
  })

  it('without credentials, a 401 says that Veracode DAST Essentials needs them', async () => {
    const run = await runScenario({ target: { faults: { start: [{ status: 401 }] } } })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    const message = failureMessage(run)
    expect(message).toContain("check 'webhook' and 'api-url'")
    expect(message).toContain("also needs 'veracode-api-id' and 'veracode-api-key'")
  })
})

describe('bad Veracode inputs are refused before any request is sent', () => {
  it.each([
    ['an id without a key', { 'veracode-api-id': API_ID }, "'veracode-api-key' is required"],
    ['a key without an id', { 'veracode-api-key': API_KEY }, "'veracode-api-id' is required"],
    ['a key that is not hex', { ...CREDENTIALS, 'veracode-api-key': `${API_KEY}xyz` }, 'hexadecimal digits'],
    ['an unknown region', { ...CREDENTIALS, region: 'apac' }, "'region' must be one of us, eu; got 'apac'"],
    [
      // The fixture points api-url at the simulator; '' leaves it empty ("not given"), as on the runner.
      'FedRAMP credentials without api-url',
      { 'veracode-api-id': `vera01fi-${API_ID}`, 'veracode-api-key': API_KEY, 'api-url': '' },
      'the Veracode API credentials are for the FedRAMP region'
    ]
  ])('%s', async (_case, inputs, expected) => {
    const run = await runScenario({ veracodeCredentials: KNOWN, secrets: [API_ID, API_KEY], inputs })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(failureMessage(run)).toContain(expected)
    expect(run.requests).toHaveLength(0)
  })
})
