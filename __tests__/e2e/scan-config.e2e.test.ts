// The scan configuration: the exact JSON the service receives for credentials, headers, the API spec and
// the built-in login flow; every refusal before any request; and no secret anywhere in what a run shows.
import { describe, expect, it } from '@jest/globals'
import type { LoginEndpoint } from '../../simulator/scan-config.js'
import type { RecordedRequest } from '../../simulator/webhook-api.js'
import type { ActionRun } from './harness.js'
import { failureMessage, runScenario, WEBHOOK, type Scenario, type ScenarioRun } from './fixtures.js'

// Distinctive values: any appearance of one of them outside `::add-mask::` is a leak.
const BASIC_PASSWORD = 'basic-Pw-7c1e95d2'
const FORM_PASSWORD = 'form-Pw-3b8d42e6'
const API_KEY = 'hdr-Key-5f2a90c1'
const TENANT = 'hdr-Tenant-19e7b4'
const SIGNATURE = 'sig:a1:b2:c3-46f0'
const LOGIN_PASSWORD = 'login-Pw-0a4c6e8b'
const TOKEN = 'tok-e2e-8d6b3f17c2'
const TOKEN_BODY = JSON.stringify({ user: 'scanner', password: LOGIN_PASSWORD })
const SECRETS = [BASIC_PASSWORD, FORM_PASSWORD, API_KEY, TENANT, SIGNATURE, LOGIN_PASSWORD, TOKEN, TOKEN_BODY]

const AUTH_HEADERS = `X-Api-Key: ${API_KEY}\nX-Tenant:${TENANT}\n\nX-Signature: ${SIGNATURE}`
const SENT_HEADERS = [
  { type: 'HEADER', key: 'X-Api-Key', value: API_KEY },
  { type: 'HEADER', key: 'X-Tenant', value: TENANT },
  { type: 'HEADER', key: 'X-Signature', value: SIGNATURE }
]

const OPENAPI_YAML = `# The shop's API
openapi: 3.0.3
info:
  title: Shop
  version: "1.2"
servers:
  - url: https://shop.example.test/api
paths:
  /products/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          schema: { type: integer, minimum: 1 }
      responses:
        "200":
          description: One product
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Product" }
components:
  schemas:
    Product:
      type: object
      properties:
        id: { type: integer }
        price: { type: number, example: 9.5 }
        public: { type: boolean, default: true }
        note: { type: string, nullable: true, example: null }
`
const OPENAPI_DOCUMENT = {
  openapi: '3.0.3',
  info: { title: 'Shop', version: '1.2' },
  servers: [{ url: 'https://shop.example.test/api' }],
  paths: {
    '/products/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
        responses: {
          '200': {
            description: 'One product',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Product' } } }
          }
        }
      }
    }
  },
  components: {
    schemas: {
      Product: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          price: { type: 'number', example: 9.5 },
          public: { type: 'boolean', default: true },
          note: { type: 'string', nullable: true, example: null }
        }
      }
    }
  }
}
const SWAGGER_DOCUMENT = {
  swagger: '2.0',
  info: { title: 'Petstore', version: '1.0.0' },
  host: 'petstore.example.test',
  basePath: '/v2',
  schemes: ['https'],
  paths: {
    '/pet/{petId}': {
      get: {
        parameters: [{ name: 'petId', in: 'path', required: true, type: 'integer', format: 'int64' }],
        responses: { '200': { description: 'successful operation' }, '404': { description: 'Pet not found' } }
      }
    }
  }
}

/** A login endpoint that takes TOKEN_BODY and answers the token at data.token. */
const NESTED_TOKEN_LOGIN: LoginEndpoint = {
  expectedBody: JSON.parse(TOKEN_BODY),
  answer: { json: { data: { token: TOKEN, expires_in: 3600 }, token_type: 'Bearer' } }
}

const startRequests = (run: ScenarioRun): RecordedRequest[] =>
  run.requests.filter(r => r.method === 'POST' && r.path === `/webhook/${WEBHOOK}`)

/** The one start request's payload, checked to be sent as JSON. */
function startPayload(run: ScenarioRun): unknown {
  expect(run.outputs.result).toBe('started')
  const starts = startRequests(run)
  expect(starts).toHaveLength(1)
  expect(starts[0]?.headers['content-type']).toBe('application/json')
  return starts[0]?.json
}

/** Runs a scenario that only starts the scan: what matters here is the start request. */
const start = (scenario: Scenario): Promise<ScenarioRun> =>
  runScenario({ ...scenario, inputs: { wait: 'false', ...scenario.inputs }, secrets: SECRETS })

describe('the start payload holds exactly what is configured', () => {
  it('without configuration the start request has an empty body and no content type', async () => {
    const run = await start({})
    const [request] = startRequests(run)
    expect(request?.body).toBe('')
    expect(request?.headers['content-type']).toBeUndefined()
    expect(run.stdout).toContain('Scan configuration: none (the start request has an empty body)')
  })

  it('basic auth', async () => {
    const run = await start({
      inputs: { 'basic-auth-username': 'gate', 'basic-auth-password': BASIC_PASSWORD }
    })
    expect(startPayload(run)).toEqual({
      system_authentication: { basic_auth: { username: 'gate', password: BASIC_PASSWORD } }
    })
  })

  it('a login form', async () => {
    const run = await start({
      inputs: {
        'login-url': 'https://app.example.test/login',
        'login-username': 'scanner@example.test',
        'login-password': FORM_PASSWORD
      }
    })
    expect(startPayload(run)).toEqual({
      application_authentication: [
        { username: 'scanner@example.test', password: FORM_PASSWORD, url: 'https://app.example.test/login' }
      ]
    })
    expect(run.stdout).toContain('replace those stored in the service')
  })

  it('several headers, in the given order, a value with colons kept whole', async () => {
    const run = await start({ inputs: { 'auth-headers': AUTH_HEADERS } })
    expect(startPayload(run)).toEqual({ parameter_authentication: SENT_HEADERS })
    expect(run.stdout).toContain('headers X-Api-Key, X-Tenant, X-Signature')
  })

  it('a YAML OpenAPI 3 spec, sent as the JSON object the YAML describes', async () => {
    const run = await start({
      files: { 'openapi.yaml': OPENAPI_YAML },
      inputs: { 'api-spec': 'openapi.yaml' }
    })
    expect(startPayload(run)).toEqual({ specs: { api_spec: OPENAPI_DOCUMENT } })
  })

  it('a JSON Swagger 2.0 spec in a subfolder of the workspace', async () => {
    const run = await start({
      files: { 'specs/petstore.json': JSON.stringify(SWAGGER_DOCUMENT, null, 2) },
      inputs: { 'api-spec': 'specs/petstore.json' }
    })
    expect(startPayload(run)).toEqual({ specs: { api_spec: SWAGGER_DOCUMENT } })
  })

  it('the login flow: logs in first, takes the token at a nested token-path and sends it as a header', async () => {
    const run = await start({
      login: NESTED_TOKEN_LOGIN,
      inputs: { 'token-body': TOKEN_BODY, 'token-path': 'data.token' }
    })
    expect(startPayload(run)).toEqual({
      parameter_authentication: [{ type: 'HEADER', key: 'Authorization', value: `Bearer ${TOKEN}` }]
    })
    const [login, started] = run.requests
    expect(login).toMatchObject({ method: 'POST', path: '/auth/login', body: TOKEN_BODY })
    expect(login?.headers['content-type']).toBe('application/json')
    expect(started?.path).toBe(`/webhook/${WEBHOOK}`)
    // The login goes to the scanned application: it carries nothing of the scanning service.
    expect(login?.headers.authorization).toBeUndefined()
    expect(JSON.stringify(login)).not.toContain(WEBHOOK)
    expect(run.stdout).toMatch(/Logging in at http:\/\/127\.0\.0\.1:\d+\/auth\/login for a token\./)
    expect(run.stdout).toContain('Logged in: the token (masked) is sent in the Authorization header.')
  })

  it('everything that may go together with an API spec: basic auth, headers, the spec and the login flow', async () => {
    const run = await start({
      files: { 'api/openapi.yml': OPENAPI_YAML },
      login: NESTED_TOKEN_LOGIN,
      inputs: {
        'basic-auth-username': 'gate',
        'basic-auth-password': BASIC_PASSWORD,
        'auth-headers': AUTH_HEADERS,
        'api-spec': 'api/openapi.yml',
        'token-body': TOKEN_BODY,
        'token-path': 'data.token',
        'token-header': 'X-Auth-Token',
        'token-prefix': ''
      }
    })
    expect(startPayload(run)).toEqual({
      system_authentication: { basic_auth: { username: 'gate', password: BASIC_PASSWORD } },
      parameter_authentication: [...SENT_HEADERS, { type: 'HEADER', key: 'X-Auth-Token', value: TOKEN }],
      specs: { api_spec: OPENAPI_DOCUMENT }
    })
  })

  it('everything that may go together with a login form: basic auth, the form, headers and the login flow', async () => {
    const run = await start({
      login: { expectedBody: JSON.parse(TOKEN_BODY), answer: { json: { access_token: TOKEN } } },
      inputs: {
        'basic-auth-username': 'gate',
        'basic-auth-password': BASIC_PASSWORD,
        'login-url': 'https://app.example.test/login',
        'login-username': 'scanner',
        'login-password': FORM_PASSWORD,
        'auth-headers': AUTH_HEADERS,
        'token-body': TOKEN_BODY,
        'token-prefix': 'Token '
      }
    })
    expect(startPayload(run)).toEqual({
      system_authentication: { basic_auth: { username: 'gate', password: BASIC_PASSWORD } },
      application_authentication: [
        { username: 'scanner', password: FORM_PASSWORD, url: 'https://app.example.test/login' }
      ],
      parameter_authentication: [
        ...SENT_HEADERS,
        { type: 'HEADER', key: 'Authorization', value: `Token ${TOKEN}` }
      ]
    })
  })

  it('a login answered 503 is tried again', async () => {
    const run = await start({
      login: { ...NESTED_TOKEN_LOGIN, faults: [{ status: 503 }] },
      inputs: { 'token-body': TOKEN_BODY, 'token-path': 'data.token' }
    })
    expect(run.count('login')).toBe(2)
    expect(run.stdout).toContain('answered HTTP 503. Attempt 2 in')
    expect(startPayload(run)).toEqual({
      parameter_authentication: [{ type: 'HEADER', key: 'Authorization', value: `Bearer ${TOKEN}` }]
    })
  })
})

/** Asserts an input error: a failed step, result error, the message, and not one request sent. */
function expectRefusedBeforeAnyRequest(run: ScenarioRun, ...parts: (string | RegExp)[]): void {
  expect(run.exitCode).toBe(1)
  expect(run.outputs.result).toBe('error')
  expect(run.requests).toEqual([])
  const message = failureMessage(run)
  expect(message).toMatch(/^Invalid inputs?:/)
  for (const part of parts) expect(message).toMatch(part)
}

// One byte over the limit of 5 MiB.
const BIG_SPEC_HEAD = '{"swagger":"2.0","info":{},"paths":{},"x-padding":"'
const BIG_SPEC = `${BIG_SPEC_HEAD}${'x'.repeat(5 * 1024 * 1024 + 1 - BIG_SPEC_HEAD.length - 2)}"}`

describe('refusals before any request', () => {
  it.each<[string, Scenario, (string | RegExp)[]]>([
    [
      'an auth-headers line without a colon',
      { inputs: { 'auth-headers': `X-Api-Key: ${API_KEY}\n${TENANT}` } },
      [`'auth-headers' line 2 has no ':'; each line must be 'Name: value'`]
    ],
    [
      'an auth-headers line with an empty name',
      { inputs: { 'auth-headers': `: ${API_KEY}` } },
      [`'auth-headers' line 1 has an empty header name`]
    ],
    [
      'a basic-auth user name without its password',
      { inputs: { 'basic-auth-username': 'gate' } },
      [`'basic-auth-username' is set but 'basic-auth-password' is empty`]
    ],
    [
      'a basic-auth password without its user name',
      { inputs: { 'basic-auth-password': BASIC_PASSWORD } },
      [`'basic-auth-password' is set but 'basic-auth-username' is empty`]
    ],
    [
      'a login form without its user name',
      { inputs: { 'login-url': 'https://app.example.test/login', 'login-password': FORM_PASSWORD } },
      [
        `a login form needs 'login-url', 'login-username' and 'login-password' together; 'login-username' is empty`
      ]
    ],
    [
      'a login form together with an API spec',
      {
        files: { 'openapi.yaml': OPENAPI_YAML },
        inputs: {
          'api-spec': 'openapi.yaml',
          'login-url': 'https://app.example.test/login',
          'login-username': 'scanner',
          'login-password': FORM_PASSWORD
        }
      },
      ['cannot be combined with', 'the service refuses login forms for API scan targets']
    ],
    [
      'an api-spec file that does not exist',
      { inputs: { 'api-spec': 'missing/openapi.yaml' } },
      [`'api-spec' (missing/openapi.yaml) does not exist`]
    ],
    [
      'an api-spec that cannot be read (a directory)',
      { files: { 'specs/README.md': 'not the spec' }, inputs: { 'api-spec': 'specs' } },
      [`'api-spec' (specs) is not a file`]
    ],
    [
      'an api-spec that is neither Swagger 2.0 nor OpenAPI 3.x',
      {
        files: { 'asyncapi.yaml': 'asyncapi: 2.6.0\ninfo: {title: Events, version: "1"}\n' },
        inputs: { 'api-spec': 'asyncapi.yaml' }
      },
      ['is neither a Swagger 2.0 document (swagger: "2.0") nor an OpenAPI 3.x one']
    ],
    [
      'an api-spec whose openapi version is not 3.x',
      { files: { 'o.json': '{"openapi":"4.0.0","info":{},"paths":{}}' }, inputs: { 'api-spec': 'o.json' } },
      ['its openapi field is "4.0.0"']
    ],
    [
      'an api-spec that is not valid YAML',
      {
        files: { 'broken.yaml': 'openapi: 3.0.3\ninfo: [unclosed\n' },
        inputs: { 'api-spec': 'broken.yaml' }
      },
      [`'api-spec' (broken.yaml) is not valid YAML`]
    ],
    [
      'an api-spec over the size limit',
      { files: { 'big.json': BIG_SPEC }, inputs: { 'api-spec': 'big.json' } },
      ['is 5242881 bytes; the largest spec accepted is 5 MiB (5242880 bytes)']
    ],
    [
      'a token-url over plain http to a host that is not loopback',
      { inputs: { 'token-url': 'http://auth.example.test/login', 'token-body': TOKEN_BODY } },
      [`'token-url' must use https://`, `got host 'auth.example.test'`]
    ],
    [
      'a token-body that is not JSON (its text never quoted)',
      {
        inputs: {
          'token-url': 'https://auth.example.test/login',
          'token-body': `{password: ${LOGIN_PASSWORD}}`
        }
      },
      [`'token-body' must be JSON`]
    ],
    [
      'a token-body without token-url',
      { inputs: { 'token-body': TOKEN_BODY } },
      [`'token-body' is set but 'token-url' is empty`]
    ]
  ])('%s', async (_name, scenario, parts) => {
    const run = await runScenario({ ...scenario, secrets: SECRETS })
    expectRefusedBeforeAnyRequest(run, ...parts)
  })

  it('lists every problem of one run at once', async () => {
    const run = await runScenario({
      inputs: { 'basic-auth-username': 'gate', 'auth-headers': 'no colon here', 'token-body': '{}' },
      secrets: SECRETS
    })
    expectRefusedBeforeAnyRequest(run, `'basic-auth-username'`, `'auth-headers' line 1`, `'token-body'`)
  })
})

describe('a failed login starts no scan', () => {
  const login = (endpoint: LoginEndpoint, inputs: Record<string, string> = {}) =>
    runScenario({ login: endpoint, inputs: { 'token-body': TOKEN_BODY, ...inputs }, secrets: SECRETS })

  function expectNoScan(run: ScenarioRun, message: string): void {
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(run.count('login')).toBe(1)
    expect(run.count('start')).toBe(0)
    expect(failureMessage(run)).toContain(message)
    expect(failureMessage(run)).toContain('no scan was started')
  }

  it('a refused login: the HTTP status, never the answer (which echoes the credentials)', async () => {
    const run = await login({
      expectedBody: { user: 'someone else' },
      answer: { json: { access_token: TOKEN } }
    })
    expectNoScan(run, 'The login request to http://127.0.0.1:')
    expect(failureMessage(run)).toMatch(
      /\/auth\/login answered HTTP 401\. Check 'token-url' and 'token-body'/
    )
    expect(run.stdout).not.toContain('Invalid credentials')
  })

  it('an answer that is not JSON', async () => {
    const run = await login({ ...NESTED_TOKEN_LOGIN, answer: { text: `<html>token=${TOKEN}</html>` } })
    expectNoScan(run, 'answered HTTP 200 with a body that is not JSON (text/html; charset=utf-8)')
  })

  it('an answer without the token at token-path: which key was missing', async () => {
    const run = await login(
      { ...NESTED_TOKEN_LOGIN, answer: { json: { data: { jwt: TOKEN } } } },
      { 'token-path': 'data.token' }
    )
    expectNoScan(run, `has no token at 'data.token': 'data' has no key 'token'. Check 'token-path'`)
  })

  it('an answer whose token is not a string', async () => {
    const run = await login({ ...NESTED_TOKEN_LOGIN, answer: { json: { access_token: { value: TOKEN } } } })
    expectNoScan(
      run,
      `the value at 'access_token' in the login answer is an object; a token is a non-empty string`
    )
  })
})

describe('secrets', () => {
  /** Masks registered with the runner (`::add-mask::`), as the runner reads them. */
  const masks = (run: ActionRun): string[] =>
    run.commands.filter(c => c.command === 'add-mask').map(c => c.message)

  it('every secret is masked, and none shows in stdout, stderr, summary, outputs or annotations', async () => {
    // A whole run (waits, judges, publishes a failing verdict with annotations) with every kind of secret.
    const run = await runScenario({
      files: { 'openapi.yaml': OPENAPI_YAML },
      login: NESTED_TOKEN_LOGIN,
      inputs: {
        'basic-auth-username': 'gate',
        'basic-auth-password': BASIC_PASSWORD,
        'auth-headers': AUTH_HEADERS,
        'api-spec': 'openapi.yaml',
        'token-body': TOKEN_BODY,
        'token-path': 'data.token'
      },
      secrets: SECRETS // runScenario asserts that none of them leaks
    })
    expect(run.outputs.result).toBe('failed')
    expect(run.summary).toContain('Crashtest DAST')
    expect(run.commands.some(c => c.command === 'error' && c.properties.title)).toBe(true)
    expect(masks(run)).toEqual(
      expect.arrayContaining([BASIC_PASSWORD, API_KEY, TENANT, SIGNATURE, TOKEN_BODY, TOKEN])
    )
    // The token is masked before the start request, as soon as it is fetched.
    const tokenMask = run.stdout.indexOf(`::add-mask::${TOKEN}`)
    expect(tokenMask).toBeGreaterThan(0)
    expect(tokenMask).toBeLessThan(run.stdout.indexOf('Logged in:'))
  })

  it('a token body written over several lines is masked line by line, not brace by brace', async () => {
    const body = `{\n  "user": "scanner",\n  "password": "${LOGIN_PASSWORD}"\n}`
    const run = await start({
      login: NESTED_TOKEN_LOGIN,
      inputs: { 'token-body': body, 'token-path': 'data.token' }
    })
    expect(run.outputs.result).toBe('started')
    expect(masks(run)).toEqual(
      expect.arrayContaining([TOKEN_BODY, '"user": "scanner",', `"password": "${LOGIN_PASSWORD}"`, TOKEN])
    )
    expect(masks(run)).not.toContain('{')
    expect(masks(run)).not.toContain('}')
  })
})
