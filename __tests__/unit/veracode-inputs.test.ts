import { describe, expect, it } from '@jest/globals'
import { DEFAULT_API_URL, InputError } from '../../src/engine/settings/parse-inputs.js'
import { parseInputs } from './settings-fixtures.js'
import { credentialForms, VERACODE_API_URLS } from '../../src/engine/settings/veracode.js'

const API_ID = '0123456789abcdef0123456789abcdef'
const API_KEY = 'a1b2'.repeat(32)
const US = 'https://api.veracode.com/dae/api/core-api/webhook'
const EU = 'https://api.veracode.eu/dae/api/core-api/webhook'

/** The settings, with the one target's API endpoint as `api`. */
function parse(inputs: Record<string, string>) {
  const settings = parseInputs(name => inputs[name] ?? '', '/workspace')
  return { ...settings, api: settings.targets[0]!.api }
}

function problemsOf(inputs: Record<string, string>): string[] {
  try {
    parse(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).problems
  }
  throw new Error('parseInputs accepted the inputs')
}

const credentials = { webhook: 'wh', 'veracode-api-id': API_ID, 'veracode-api-key': API_KEY }

describe('the base URL', () => {
  it('is the legacy Crashtest API without credentials, unsigned', () => {
    const { api } = parse({ webhook: 'wh' })
    expect(api).toStrictEqual({ webhook: 'wh', baseUrl: DEFAULT_API_URL })
    expect(DEFAULT_API_URL).toBe('https://api.crashtest.cloud/webhook')
  })

  it('is the US Veracode URL with credentials and no region', () => {
    const { api } = parse(credentials)
    expect(api).toEqual({ webhook: 'wh', baseUrl: US, veracode: { apiId: API_ID, apiKey: API_KEY } })
    expect(VERACODE_API_URLS).toEqual({ us: US, eu: EU })
  })

  it.each([
    ['us', US],
    ['eu', EU],
    ['EU', EU]
  ])('follows region %s', (region, url) => {
    expect(parse({ ...credentials, region }).api.baseUrl).toBe(url)
  })

  it("follows the credentials' region prefix: e is EU, g (global) and others the US", () => {
    const prefixed = (prefix: string) =>
      parse({
        webhook: 'wh',
        'veracode-api-id': `${prefix}-${API_ID}`,
        'veracode-api-key': `${prefix}-${API_KEY}`
      })
    expect(prefixed('vera01ei').api).toMatchObject({
      baseUrl: EU,
      veracode: { apiId: API_ID, apiKey: API_KEY }
    })
    expect(prefixed('VERA01EI').api.baseUrl).toBe(EU)
    expect(prefixed('vera01gi').api).toMatchObject({
      baseUrl: US,
      veracode: { apiId: API_ID, apiKey: API_KEY }
    })
    expect(prefixed('vera01xi').api.baseUrl).toBe(US)
  })

  it('takes the region from whichever credential carries a prefix', () => {
    expect(parse({ ...credentials, 'veracode-api-key': `vera01ei-${API_KEY}` }).api).toMatchObject({
      baseUrl: EU,
      veracode: { apiId: API_ID, apiKey: API_KEY }
    })
  })

  it("an explicit region wins over the credentials' prefix", () => {
    const inputs = { ...credentials, 'veracode-api-id': `vera01ei-${API_ID}`, region: 'us' }
    expect(parse(inputs).api.baseUrl).toBe(US)
  })

  it('an explicit api-url wins, and the requests are still signed', () => {
    const inputs = {
      ...credentials,
      'veracode-api-key': `vera01ei-${API_KEY}`,
      'api-url': 'https://proxy.example.com/dae/'
    }
    expect(parse(inputs).api).toEqual({
      webhook: 'wh',
      baseUrl: 'https://proxy.example.com/dae',
      veracode: { apiId: API_ID, apiKey: API_KEY }
    })
  })

  it('a whole webhook URL wins, and the requests are still signed', () => {
    const inputs = { ...credentials, webhook: `${EU}/wh-1`, region: 'us' }
    expect(parse(inputs).api).toEqual({
      webhook: 'wh-1',
      baseUrl: EU,
      veracode: { apiId: API_ID, apiKey: API_KEY }
    })
  })

  it('FedRAMP credentials (prefix f) need an explicit api-url or region', () => {
    const fedramp = { ...credentials, 'veracode-api-id': `vera01fi-${API_ID}` }
    expect(problemsOf(fedramp)).toEqual([
      "the Veracode API credentials are for the FedRAMP region, whose DAST Essentials webhook URL this action does not know: set 'api-url' to it (or 'region' to us or eu)"
    ])
    expect(parse({ ...fedramp, 'api-url': 'https://fed.example.gov/webhook' }).api).toEqual({
      webhook: 'wh',
      baseUrl: 'https://fed.example.gov/webhook',
      veracode: { apiId: API_ID, apiKey: API_KEY }
    })
    expect(parse({ ...fedramp, webhook: 'https://fed.example.gov/webhook/wh' }).api.baseUrl).toBe(
      'https://fed.example.gov/webhook'
    )
    expect(parse({ ...fedramp, region: 'eu' }).api.baseUrl).toBe(EU)
  })
})

describe('bad Veracode inputs are refused, naming the input and never quoting a credential', () => {
  it.each([
    [
      'an id without a key',
      { 'veracode-api-id': API_ID },
      "'veracode-api-key' is required when 'veracode-api-id' is given"
    ],
    [
      'a key without an id',
      { 'veracode-api-key': API_KEY },
      "'veracode-api-id' is required when 'veracode-api-key' is given"
    ],
    ['an unknown region', { ...credentials, region: 'apac' }, "'region' must be one of us, eu; got 'apac'"],
    [
      'a region without credentials',
      { webhook: 'wh', region: 'eu' },
      "'region' needs Veracode API credentials"
    ],
    [
      'a key with a non-hex digit',
      { ...credentials, 'veracode-api-key': `${API_KEY}g` },
      "'veracode-api-key' must be hexadecimal digits"
    ],
    [
      'a key with an odd number of digits',
      { ...credentials, 'veracode-api-key': API_KEY.slice(1) },
      "'veracode-api-key' must be hexadecimal digits"
    ],
    [
      'an id with a punctuation mark',
      { ...credentials, 'veracode-api-id': `${API_ID}!` },
      "'veracode-api-id' must be letters and digits"
    ],
    [
      'a prefix of 7 characters',
      { ...credentials, 'veracode-api-id': `vera01e-${API_ID}` },
      "'veracode-api-id' contains a '-' but does not start with an 8-character region prefix"
    ],
    [
      'a key with a second -',
      { ...credentials, 'veracode-api-key': `vera01ei-${API_KEY}-x` },
      "'veracode-api-key' must be hexadecimal digits"
    ],
    [
      'prefixes of two regions',
      { ...credentials, 'veracode-api-id': `vera01ei-${API_ID}`, 'veracode-api-key': `vera01gi-${API_KEY}` },
      "the region prefixes of 'veracode-api-id' and 'veracode-api-key' name different regions"
    ]
  ])('%s', (_label, inputs, expected) => {
    const problems = problemsOf({ webhook: 'wh', ...inputs })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(expected)
    expect(problems[0]).not.toContain(API_ID)
    expect(problems[0]).not.toContain(API_KEY.slice(0, 16))
  })
})

describe('credentialForms', () => {
  it('lists every form to mask: as given and without the prefix', () => {
    expect(credentialForms('')).toEqual([])
    expect(credentialForms(API_ID)).toEqual([API_ID])
    expect(credentialForms(`vera01ei-${API_ID}`)).toEqual([`vera01ei-${API_ID}`, API_ID])
    expect(credentialForms(`short-${API_ID}`)).toEqual([`short-${API_ID}`, API_ID])
  })
})
