import { describe, expect, it } from '@jest/globals'
import { buildStartPayload } from '../../src/engine/api/start-payload.js'
import { InputError } from '../../src/engine/settings/parse-inputs.js'
import { parseInputs } from './settings-fixtures.js'
import type { ScanConfig } from '../../src/engine/api/scan-config.js'
import { describeScanConfig, scanConfigSecrets } from '../../src/engine/settings/scan-config.js'

const WORKSPACE = '/home/runner/work/app/app'
const PASSWORD = 'Pw-unit-51d0c7'
const KEY = 'key-unit-9e3f12'
const BODY = `{"user":"scanner","password":"${PASSWORD}"}`

const reader =
  (inputs: Record<string, string>) =>
  (name: string): string =>
    inputs[name] ?? ''

function scanConfig(inputs: Record<string, string>): ScanConfig {
  return parseInputs(reader({ webhook: 'hook', ...inputs }), WORKSPACE).scanConfig
}

/** The problems parseInputs reports for these inputs. */
function problems(inputs: Record<string, string>): string[] {
  try {
    scanConfig(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).problems
  }
  throw new Error('expected an InputError')
}

describe('parseScanConfig', () => {
  it('configures nothing when no input is given, and the start then has no payload', () => {
    const config = scanConfig({})
    expect(config).toEqual({
      basicAuth: undefined,
      loginForm: undefined,
      headers: [],
      apiSpec: undefined,
      tokenLogin: undefined
    })
    expect(buildStartPayload(config)).toBeUndefined()
    expect(describeScanConfig(config)).toBe('none (the start request has an empty body)')
  })

  it('reads every input', () => {
    const config = scanConfig({
      'basic-auth-username': 'gate',
      'basic-auth-password': PASSWORD,
      'login-url': 'http://app.example.test/login',
      'login-username': 'scanner',
      'login-password': PASSWORD,
      'auth-headers': `X-Api-Key: ${KEY}\r\n\r\n  X-Trace :a:b  \nx-b:1`,
      'token-url': 'https://auth.example.test/oauth/token?client=42',
      'token-body': BODY,
      'token-path': 'data.session.token',
      'token-header': 'X-Session',
      'token-prefix': 'Token '
    })
    expect(config).toEqual({
      basicAuth: { username: 'gate', password: PASSWORD },
      loginForm: { username: 'scanner', password: PASSWORD, url: 'http://app.example.test/login' },
      headers: [
        { key: 'X-Api-Key', value: KEY },
        { key: 'X-Trace', value: 'a:b' },
        { key: 'x-b', value: '1' }
      ],
      apiSpec: undefined,
      tokenLogin: {
        url: 'https://auth.example.test/oauth/token?client=42',
        body: BODY,
        path: ['data', 'session', 'token'],
        header: 'X-Session',
        prefix: 'Token '
      }
    })
  })

  it('gives the login flow its defaults, and no body when token-body is empty', () => {
    expect(scanConfig({ 'token-url': 'http://localhost:8080/login' }).tokenLogin).toEqual({
      url: 'http://localhost:8080/login',
      body: undefined,
      path: ['access_token'],
      header: 'Authorization',
      prefix: '' // action.yml's default 'Bearer ' comes with the runner's inputs
    })
  })

  it('resolves api-spec against the workspace and keeps an absolute path', () => {
    expect(scanConfig({ 'api-spec': 'api/openapi.yaml' }).apiSpec).toEqual({
      input: 'api/openapi.yaml',
      path: `${WORKSPACE}/api/openapi.yaml`
    })
    expect(scanConfig({ 'api-spec': '/specs/openapi.json' }).apiSpec?.path).toBe('/specs/openapi.json')
  })

  it.each<[string, Record<string, string>, string]>([
    ['basic auth without password', { 'basic-auth-username': 'u' }, `'basic-auth-username' is set but`],
    ['basic auth without user', { 'basic-auth-password': PASSWORD }, `'basic-auth-password' is set but`],
    [
      'a colon in the basic-auth user name',
      { 'basic-auth-username': 'a:b', 'basic-auth-password': PASSWORD },
      `'basic-auth-username' must not contain ':'`
    ],
    [
      'a login form without URL and user name',
      { 'login-password': PASSWORD },
      `'login-url' and 'login-username' are empty`
    ],
    [
      'a login URL that is not http(s)',
      { 'login-url': 'javascript:alert(1)', 'login-username': 'u', 'login-password': PASSWORD },
      `'login-url' must be the http:// or https:// URL of the login page`
    ],
    [
      'a login form and an API spec',
      {
        'login-url': 'https://a.test/l',
        'login-username': 'u',
        'login-password': PASSWORD,
        'api-spec': 'o.yaml'
      },
      'cannot be combined with'
    ],
    [
      'a header line without a colon',
      { 'auth-headers': `X-Ok: 1\n${KEY}` },
      `'auth-headers' line 2 has no ':'`
    ],
    [
      'a header without a name',
      { 'auth-headers': `  : ${KEY}` },
      `'auth-headers' line 1 has an empty header name`
    ],
    ['a header name with a space', { 'auth-headers': `X Key: ${KEY}` }, 'not a valid HTTP field name'],
    ['a header without a value', { 'auth-headers': 'X-Key:   ' }, `line 1 (X-Key) has an empty value`],
    ['a control character in a value', { 'auth-headers': `X-Key: a\u0000${KEY}` }, 'control character'],
    ['a header given twice', { 'auth-headers': `X-Key: 1\nx-key: ${KEY}` }, 'sets x-key a second time'],
    ['token-body without token-url', { 'token-body': BODY }, `'token-body' is set but 'token-url' is empty`],
    [
      'a token-url that is not a URL',
      { 'token-url': 'auth.example.test/login' },
      `'token-url' must be an https:// URL`
    ],
    [
      'a token-url over ftp',
      { 'token-url': 'ftp://auth.example.test/' },
      `'token-url' must be an https:// URL`
    ],
    [
      'a token-url with credentials',
      { 'token-url': `https://u:${PASSWORD}@auth.example.test/` },
      `'token-url' must not contain credentials`
    ],
    [
      'a token-url over http to another host',
      { 'token-url': 'http://10.0.0.8/login' },
      `plain http:// is accepted only for loopback hosts (127.0.0.0/8, ::1, localhost); got host '10.0.0.8'`
    ],
    [
      'a token-body that is not JSON',
      { 'token-url': 'https://a.test/', 'token-body': `{"password": "${PASSWORD}"` },
      `'token-body' must be JSON (it is sent as the login request's body); it does not parse at line 1 column 30`
    ],
    [
      'an empty key in token-path',
      { 'token-url': 'https://a.test/', 'token-path': 'data..token' },
      'data..token'
    ],
    [
      'a token-header that is no header name',
      { 'token-url': 'https://a.test/', 'token-header': 'X:Y' },
      `got 'X:Y'`
    ],
    [
      'a token-header also in auth-headers',
      { 'token-url': 'https://a.test/', 'auth-headers': `authorization: ${KEY}` },
      `'auth-headers' already sets Authorization`
    ],
    [
      'a line break in token-prefix',
      { 'token-url': 'https://a.test/', 'token-prefix': 'Bearer\n' },
      `'token-prefix' must not contain a line break`
    ]
  ])('refuses %s, quoting no secret', (_name, inputs, message) => {
    const found = problems(inputs)
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(message)
    for (const secret of [PASSWORD, KEY]) expect(found[0]).not.toContain(secret)
  })

  it('refuses a token-body that is not JSON without quoting it, when JSON.parse would quote it', () => {
    const found = problems({ 'token-url': 'https://a.test/', 'token-body': `{"password": ${PASSWORD}}` })
    expect(found).toEqual([
      `'token-body' must be JSON (it is sent as the login request's body); it does not parse`
    ])
  })

  it('reports the problems of every input in one go', () => {
    expect(
      problems({
        'basic-auth-username': 'u',
        'auth-headers': 'x',
        'token-body': '{}',
        'login-url': 'https://a/'
      })
    ).toHaveLength(4)
  })
})

describe('scanConfigSecrets', () => {
  it('lists passwords, header values and the token body, once each', () => {
    const secrets = scanConfigSecrets(
      reader({
        'basic-auth-username': 'gate',
        'basic-auth-password': PASSWORD,
        'login-password': PASSWORD,
        'auth-headers': `X-Api-Key: ${KEY}\nmalformed-${KEY}-line\nX-Empty:\n`,
        'token-body': BODY
      })
    )
    expect(secrets).toEqual([PASSWORD, KEY, `malformed-${KEY}-line`, BODY])
  })

  it('masks a token body of several lines by its lines with text, and in its compact form', () => {
    const body = `{\n  "user": "scanner",\n  "password": "${PASSWORD}"\n}\n`
    expect(scanConfigSecrets(reader({ 'token-body': body }))).toEqual([
      BODY,
      '"user": "scanner",',
      `"password": "${PASSWORD}"`
    ])
  })
})

describe('describeScanConfig', () => {
  it('names what is sent without any secret, nor the query of the token URL', () => {
    const text = describeScanConfig(
      scanConfig({
        'basic-auth-username': 'gate',
        'basic-auth-password': PASSWORD,
        'auth-headers': `X-Api-Key: ${KEY}\nX-Tenant: t`,
        'api-spec': 'openapi.yaml',
        'token-url': `https://auth.example.test/token?key=${KEY}`,
        'token-body': BODY
      })
    )
    expect(text).toBe(
      'basic auth; headers X-Api-Key, X-Tenant; the API spec openapi.yaml; a token from https://auth.example.test/token in the Authorization header. Credentials sent with the start replace those stored in the service.'
    )
  })
})

describe('buildStartPayload', () => {
  const base: ScanConfig = { headers: [{ key: 'X-Api-Key', value: KEY }] }

  it('puts the login token after the configured headers, with its prefix', () => {
    const config: ScanConfig = {
      ...base,
      tokenLogin: {
        url: 'https://a.test/',
        path: ['access_token'],
        header: 'Authorization',
        prefix: 'Bearer '
      }
    }
    expect(buildStartPayload(config, 'tok')).toEqual({
      parameter_authentication: [
        { type: 'HEADER', key: 'X-Api-Key', value: KEY },
        { type: 'HEADER', key: 'Authorization', value: 'Bearer tok' }
      ]
    })
  })

  it('sends the API spec document as it was read', () => {
    const document = { swagger: '2.0', info: {}, paths: {} }
    expect(
      buildStartPayload({ headers: [], apiSpec: { input: 's.json', path: '/w/s.json', document } })
    ).toEqual({
      specs: { api_spec: document }
    })
  })

  it('refuses to build a payload without the token or the document it needs', () => {
    const login = { url: 'https://a.test/', path: ['t'], header: 'Authorization', prefix: '' }
    expect(() => buildStartPayload({ headers: [], tokenLogin: login })).toThrow('no token was fetched')
    expect(() => buildStartPayload({ headers: [], apiSpec: { input: 's.yaml', path: '/w/s.yaml' } })).toThrow(
      'The API spec s.yaml was not read'
    )
  })
})
