import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseActionSettings, type ActionSettings } from '../../src/action/action-inputs.js'
import { InputFields } from '../../src/engine/settings/input-fields.js'
import { DEFAULT_API_URL, InputError, parseSettings } from '../../src/engine/settings/parse-inputs.js'
import type { Settings } from '../../src/engine/settings/settings.js'
import type { Target } from '../../src/engine/settings/targets.js'
import { isLoopback } from '../../src/engine/settings/urls.js'

/** A distinctive webhook secret: it must never appear in any error message. */
const SECRET = 'Wh00k-S3cr3t-7f2b9d41'
const WORKSPACE = resolve('/work/space')

type Inputs = Record<string, string>

function reader(inputs: Inputs): (name: string) => string {
  return name => inputs[name] ?? ''
}

/**
 * The engine's settings and the action's own, read from one set of inputs as the action reads them, with
 * the one target's API endpoint as `api`.
 */
type Parsed = Settings & ActionSettings & { api: Target['api'] }
function parseInputs(read: (name: string) => string, workspace: string): Parsed {
  const fields = new InputFields(read)
  const settings = parseSettings(fields, workspace)
  const actionSettings = parseActionSettings(fields, settings)
  fields.check()
  return { ...settings, ...actionSettings, api: settings.targets[0]!.api }
}

function parse(inputs: Inputs = {}): Parsed {
  return parseInputs(reader({ webhook: SECRET, ...inputs }), WORKSPACE)
}

/** Every message seen by failing cases, checked for the secret as it is collected. */
function inputError(inputs: Inputs, secrets: string[] = [SECRET]): InputError {
  let thrown: unknown
  try {
    parseInputs(reader({ webhook: SECRET, ...inputs }), WORKSPACE)
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(InputError)
  const error = thrown as InputError
  expect(error.name).toBe('InputError')
  expect(error.problems.length).toBeGreaterThan(0)
  for (const secret of secrets) {
    expect(error.message).not.toContain(secret)
    for (const problem of error.problems) expect(problem).not.toContain(secret)
    expect(String(error.stack)).not.toContain(secret)
  }
  return error
}

/** The single problem of a failing case. */
function problemOf(inputs: Inputs): string {
  const error = inputError(inputs)
  expect(error.problems).toHaveLength(1)
  expect(error.message).toBe(`Invalid input: ${error.problems[0]}`)
  return error.problems[0] as string
}

/** The defaults action.yml declares, as the runner passes them when an input is not set. */
function actionYmlDefaults(): Inputs {
  const yml = readFileSync(resolve(import.meta.dirname, '../../action.yml'), 'utf8')
  const inputsBlock = yml.split(/^inputs:$/m)[1]?.split(/^outputs:$/m)[0] ?? ''
  const defaults: Inputs = {}
  let current: string | undefined
  for (const line of inputsBlock.split('\n')) {
    const name = /^ {2}([a-z-]+):\s*$/.exec(line)
    if (name) current = name[1]
    const value = /^ {4}default:\s*(.*)$/.exec(line)
    // The runner evaluates expressions such as `${{ github.token }}`; this reader cannot, so leaves them out.
    const text = (value?.[1] ?? '').trim().replace(/^'(.*)'$/, '$1')
    if (value && current && !text.includes('${{')) defaults[current] = text
  }
  return defaults
}

describe('parseInputs: defaults', () => {
  // The settings of the pipeline's core; each feature's own defaults are tested with its parser.
  const expected: Partial<Parsed> = {
    api: { webhook: SECRET, baseUrl: 'https://api.crashtest.cloud/webhook' },
    wait: true,
    timeoutMs: 240 * 60_000,
    pollIntervalMs: 30_000,
    ifRunning: 'wait',
    onTimeout: 'fail',
    reportPath: resolve(WORKSPACE, 'crashtest-report.xml'),
    artifact: { upload: true, name: undefined, retentionDays: undefined },
    policy: { failOn: 'high', maxFindings: {} },
    summary: true,
    annotations: true
  }

  it('gives the documented defaults when every input but the webhook is empty', () => {
    const settings = parse()
    expect(settings).toMatchObject(expected)
    expect(DEFAULT_API_URL).toBe('https://api.crashtest.cloud/webhook')
  })

  it('gives the same settings for the defaults action.yml declares as for empty inputs', () => {
    const defaults = actionYmlDefaults()
    // A sanity check of the little parser above, so that an empty result cannot pass silently.
    expect(Object.keys(defaults).length).toBeGreaterThanOrEqual(10)
    expect(defaults['fail-on']).toBe('high')
    expect(parse(defaults)).toStrictEqual(parse())
  })

  it('refuses empty inputs with exactly one problem: the missing webhook', () => {
    const error = inputError({ webhook: '' })
    expect(error.problems).toHaveLength(1)
    expect(error.problems[0]).toMatch(/'webhook' is required/)
    expect(error.message).toMatch(/^Invalid input: 'webhook' is required/)
  })
})

describe('parseInputs: webhook', () => {
  it('takes a bare secret with the default base URL', () => {
    expect(parse().api).toEqual({ webhook: SECRET, baseUrl: DEFAULT_API_URL })
    expect(parse({ webhook: 'abc-123_x.y~z' }).api.webhook).toBe('abc-123_x.y~z')
  })

  it('takes a bare secret with a configured api-url, without its trailing slash', () => {
    expect(parse({ 'api-url': 'https://api.veracode.eu/dae/api/core-api/webhook/' }).api).toEqual({
      webhook: SECRET,
      baseUrl: 'https://api.veracode.eu/dae/api/core-api/webhook'
    })
  })

  it('splits a whole Crashtest webhook URL into base URL and secret', () => {
    expect(parse({ webhook: 'https://api.crashtest.cloud/webhook/abc-123' }).api).toEqual({
      webhook: 'abc-123',
      baseUrl: 'https://api.crashtest.cloud/webhook'
    })
  })

  it('splits a whole Veracode webhook URL into base URL and secret', () => {
    expect(parse({ webhook: 'https://api.veracode.com/dae/api/core-api/webhook/abc' }).api).toEqual({
      webhook: 'abc',
      baseUrl: 'https://api.veracode.com/dae/api/core-api/webhook'
    })
  })

  it('ignores a trailing slash after the secret and takes the base URL from the webhook URL over api-url', () => {
    const api = parse({
      webhook: `https://api.crashtest.cloud/webhook/${SECRET}/`,
      'api-url': 'https://elsewhere.example/webhook'
    }).api
    expect(api).toEqual({ webhook: SECRET, baseUrl: 'https://api.crashtest.cloud/webhook' })
  })

  it('accepts a loopback http webhook URL (the simulator) with its port', () => {
    expect(parse({ webhook: `http://127.0.0.1:8123/webhook/${SECRET}` }).api).toEqual({
      webhook: SECRET,
      baseUrl: 'http://127.0.0.1:8123/webhook'
    })
  })

  it('refuses a missing webhook', () => {
    expect(problemOf({ webhook: '' })).toMatch(/'webhook' is required/)
  })

  it.each([
    ['a space', `${SECRET} x`],
    ['a slash', `${SECRET}/x`],
    ['a question mark', `${SECRET}?x=1`],
    ['a quote', `${SECRET}"`],
    ['a dollar sign', `$${SECRET}`],
    ['a non-ASCII letter', `${SECRET}é`]
  ])('refuses a webhook with %s, without quoting it', (_what, webhook) => {
    const problem = problemOf({ webhook })
    expect(problem).toMatch(/'webhook' must be the webhook secret/)
  })

  it.each([
    ['a query', `https://api.crashtest.cloud/webhook/${SECRET}?x=1`, /is not of the form/],
    [
      'a query holding the secret',
      `https://api.crashtest.cloud/webhook?secret=${SECRET}`,
      /is not of the form/
    ],
    ['no path', 'https://api.crashtest.cloud/', /is not of the form/],
    ['a malformed escape', `https://api.crashtest.cloud/webhook/${SECRET}%E0%A4%A`, /is not of the form/],
    ['an unparsable host', `https://api crashtest.cloud/webhook/${SECRET}`, /is not of the form/],
    [
      'an encoded slash in the secret',
      `https://api.crashtest.cloud/webhook/${SECRET}%2Fx`,
      /'webhook' must be/
    ],
    [
      'plain http to a remote host',
      `http://api.crashtest.cloud/webhook/${SECRET}`,
      /'api-url' must use https/
    ]
  ])('refuses a webhook URL with %s, without quoting the secret', (_what, webhook, problem) => {
    const error = inputError({ webhook })
    expect(error.problems.join('\n')).toMatch(problem)
  })

  it('never puts the webhook into any message, whatever else is wrong', () => {
    const error = inputError({
      webhook: `${SECRET}!`,
      'api-url': 'http://example.com/webhook',
      wait: 'yes',
      timeout: '0',
      'poll-interval': '0',
      'if-running': 'x',
      'on-timeout': 'x',
      'retention-days': '0',
      'fail-on': 'x',
      'max-findings': 'x=1',
      'artifact-name': 'a/b'
    })
    expect(error.problems).toHaveLength(11)
  })
})

describe('parseInputs: api-url', () => {
  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://127.255.0.1/webhook/', 'http://127.255.0.1/webhook'],
    ['http://localhost:3000/webhook', 'http://localhost:3000/webhook'],
    ['http://LOCALHOST:3000', 'http://localhost:3000'],
    ['http://[::1]:3000/webhook', 'http://[::1]:3000/webhook'],
    [
      'https://api.veracode.com/dae/api/core-api/webhook',
      'https://api.veracode.com/dae/api/core-api/webhook'
    ],
    ['https://example.com:8443/hooks///', 'https://example.com:8443/hooks']
  ])('accepts %s', (apiUrl, baseUrl) => {
    expect(parse({ 'api-url': apiUrl }).api.baseUrl).toBe(baseUrl)
  })

  it.each([
    'http://example.com/webhook',
    'http://api.crashtest.cloud/webhook',
    'http://128.0.0.1/webhook',
    'http://127.0.0.1.nip.io/webhook',
    'http://localhost.example.com/webhook',
    'http://[::2]/webhook',
    'http://0.0.0.0/webhook'
  ])('refuses plain http to the non-loopback host of %s', apiUrl => {
    const problem = problemOf({ 'api-url': apiUrl })
    expect(problem).toMatch(/'api-url' must use https:\/\//)
    expect(problem).toContain(new URL(apiUrl).hostname)
  })

  it.each([
    ['credentials', 'https://user:hunter2pass@api.example.com/webhook'],
    ['a user name', 'https://user@api.example.com/webhook'],
    ['a query', 'https://api.example.com/webhook?token=hunter2pass'],
    ['a fragment', 'https://api.example.com/webhook#hunter2pass']
  ])('refuses an api-url with %s, without quoting it', (_what, apiUrl) => {
    const error = inputError({ 'api-url': apiUrl }, [SECRET, 'hunter2pass'])
    expect(error.problems).toEqual([`'api-url' must not contain credentials, a query or a fragment`])
  })

  it.each(['ftp://api.example.com/webhook', 'api.example.com/webhook', 'not a url'])('refuses %s', apiUrl => {
    expect(problemOf({ 'api-url': apiUrl })).toMatch(/'api-url' must be an https:\/\/ URL/)
  })
})

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.255.0.1', '127.1.2.3', 'localhost', 'LocalHost', '[::1]', '::1'])(
    'is true for %s',
    host => expect(isLoopback(host)).toBe(true)
  )

  it.each([
    '128.0.0.1',
    '126.0.0.1',
    '127.0.0',
    '127.0.0.256',
    '127.0.0.1.nip.io',
    'localhost.example.com',
    '::2',
    '0.0.0.0',
    'example.com',
    ''
  ])('is false for %s', host => expect(isLoopback(host)).toBe(false))
})

describe('parseInputs: booleans', () => {
  const names = ['wait', 'upload-artifact', 'summary', 'annotations'] as const
  const read = (settings: Parsed, name: (typeof names)[number]): boolean =>
    ({
      wait: settings.wait,
      'upload-artifact': settings.artifact.upload,
      summary: settings.summary,
      annotations: settings.annotations
    })[name]

  it.each(names)('reads %s as true or false in the YAML 1.2 spellings', name => {
    for (const value of ['true', 'True', 'TRUE']) expect(read(parse({ [name]: value }), name)).toBe(true)
    for (const value of ['false', 'False', 'FALSE']) expect(read(parse({ [name]: value }), name)).toBe(false)
  })

  it.each(names)('refuses other values of %s, naming the input and the accepted values', name => {
    for (const value of ['yes', 'no', '1', '0', 'tRUE', 'on']) {
      expect(problemOf({ [name]: value })).toBe(`'${name}' must be true or false, got '${value}'`)
    }
  })
})

describe('parseInputs: timeout and poll-interval', () => {
  it.each([
    ['0.5', 30_000],
    ['1', 60_000],
    ['1.25', 75_000],
    ['600', 36_000_000]
  ])('reads timeout %s minutes as %i ms', (timeout, ms) => {
    expect(parse({ timeout }).timeoutMs).toBe(ms)
  })

  it.each(['0', '-1', '-0.5', 'abc', 'NaN', 'Infinity', '10m', '7200.5'])('refuses timeout %s', timeout => {
    const problem = problemOf({ timeout })
    expect(problem).toBe(
      `'timeout' must be a number of minutes greater than 0 and at most 7200; got '${timeout}'`
    )
  })

  it('accepts the longest timeout a job can run, 7200 minutes', () => {
    expect(parse({ timeout: '7200' }).timeoutMs).toBe(7200 * 60_000)
  })

  it.each([
    ['1', 1000],
    ['2.5', 2500],
    ['30', 30_000]
  ])('reads poll-interval %s seconds as %i ms', (pollInterval, ms) => {
    expect(parse({ 'poll-interval': pollInterval }).pollIntervalMs).toBe(ms)
  })

  it.each(['0.999', '0.5', '0', '-5', 'x', '3601'])('refuses poll-interval %s', pollInterval => {
    const problem = problemOf({ 'poll-interval': pollInterval })
    expect(problem).toBe(
      `'poll-interval' must be a number of seconds at least 1 and at most 3600; got '${pollInterval}'`
    )
  })
})

describe('parseInputs: choices', () => {
  it.each([
    ['if-running', 'wait', 'wait'],
    ['if-running', 'fail', 'fail'],
    ['if-running', 'FAIL', 'fail'],
    ['if-running', 'Wait', 'wait'],
    ['on-timeout', 'warn', 'warn'],
    ['on-timeout', 'WARN', 'warn'],
    ['on-timeout', 'fail', 'fail'],
    ['fail-on', 'critical', 'critical'],
    ['fail-on', 'high', 'high'],
    ['fail-on', 'Medium', 'medium'],
    ['fail-on', 'LOW', 'low'],
    ['fail-on', 'info', 'info'],
    ['fail-on', 'Never', 'never']
  ])('reads %s %s as %s', (name, value, expected) => {
    const settings = parse({ [name]: value })
    const actual = {
      'if-running': settings.ifRunning,
      'on-timeout': settings.onTimeout,
      'fail-on': settings.policy.failOn
    }[name]
    expect(actual).toBe(expected)
  })

  it.each([
    ['if-running', 'retry', 'wait, fail'],
    ['if-running', 'skip', 'wait, fail'],
    ['on-timeout', 'ignore', 'fail, warn'],
    ['on-timeout', 'wait', 'fail, warn'],
    ['fail-on', 'severe', 'critical, high, medium, low, info, never'],
    ['fail-on', 'unknown', 'critical, high, medium, low, info, never'],
    ['fail-on', 'none', 'critical, high, medium, low, info, never']
  ])('refuses %s %s, naming the input and the accepted values', (name, value, accepted) => {
    expect(problemOf({ [name]: value })).toBe(`'${name}' must be one of ${accepted}; got '${value}'`)
  })
})

describe('parseInputs: retention-days', () => {
  it.each([
    ['1', 1],
    ['30', 30],
    ['90', 90]
  ])('reads %s', (value, days) => {
    expect(parse({ 'retention-days': value }).artifact.retentionDays).toBe(days)
  })

  it.each(['0', '91', '-1', '1.5', 'x', '1e9'])('refuses %s', value => {
    expect(problemOf({ 'retention-days': value })).toBe(
      `'retention-days' must be a whole number of days from 1 to 90; got '${value}'`
    )
  })
})

describe('parseInputs: max-findings', () => {
  /** The budgets read from `raw`, or the problems found in it. */
  function budgets(raw: string): { budgets: Settings['policy']['maxFindings'] } | { problems: string[] } {
    try {
      return { budgets: parse({ 'max-findings': raw }).policy.maxFindings }
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      return { problems: error.problems }
    }
  }

  it.each([
    ['high=0, medium=5', { high: 0, medium: 5 }],
    ['high=0\nmedium=5', { high: 0, medium: 5 }],
    ['high=0\r\nmedium=5\r\n', { high: 0, medium: 5 }],
    ['  critical = 1 ,\n  low=10  ,', { critical: 1, low: 10 }],
    ['HIGH=2, Info=100', { high: 2, info: 100 }],
    ['critical=0,high=0,medium=0,low=0,info=0', { critical: 0, high: 0, medium: 0, low: 0, info: 0 }],
    ['', {}],
    [' , \n ,', {}]
  ])('reads %j', (raw, expected) => {
    expect(budgets(raw)).toEqual({ budgets: expected })
  })

  it('refuses a second budget for the same severity', () => {
    expect(budgets('high=1, medium=2, HIGH=3')).toEqual({
      problems: [`'max-findings' gives a budget for 'high' twice`]
    })
  })

  it.each([
    'severe=1',
    'unknown=1',
    'high=-1',
    'high=x',
    'high=1.5',
    'high',
    '=1',
    'high=',
    'high:1',
    'high=1 medium=2'
  ])('refuses %j, naming the accepted severities', entry => {
    expect(budgets(`medium=5, ${entry}`)).toEqual({
      problems: [
        `'max-findings' entries must be <severity>=<count> with severity one of critical, high, medium, low, info; got '${entry}'`
      ]
    })
  })

  it('reports every bad entry at once', () => {
    expect(inputError({ 'max-findings': 'high=x, low=y' }).problems).toHaveLength(2)
  })
})

describe('parseInputs: artifact-name and report-path', () => {
  it('keeps a valid artifact name and leaves it unset when empty', () => {
    expect(parse({ 'artifact-name': 'crashtest-report-matrix_1.2 (linux)' }).artifact.name).toBe(
      'crashtest-report-matrix_1.2 (linux)'
    )
    expect(parse({ 'artifact-name': '' }).artifact.name).toBeUndefined()
  })

  it.each(['"', ':', '<', '>', '|', '*', '?', '\\', '/', '\r', '\n'])(
    'refuses an artifact name containing %j',
    character => {
      expect(problemOf({ 'artifact-name': `report${character}x` })).toMatch(
        /^'artifact-name' must not contain/
      )
    }
  )

  it('resolves a relative report path against the workspace', () => {
    expect(parse({ 'report-path': 'reports/ct.xml' }).reportPath).toBe(resolve(WORKSPACE, 'reports/ct.xml'))
    expect(parse({ 'report-path': '../out/ct.xml' }).reportPath).toBe(resolve(WORKSPACE, '../out/ct.xml'))
  })

  it('keeps an absolute report path', () => {
    const absolute = resolve('/tmp/elsewhere/report.xml')
    expect(parse({ 'report-path': absolute }).reportPath).toBe(absolute)
  })
})

describe('InputError', () => {
  it('lists every problem of several invalid inputs in one error', () => {
    const error = inputError({
      webhook: '',
      wait: 'yes',
      timeout: '0',
      'fail-on': 'severe',
      'max-findings': 'high=x',
      'retention-days': '100'
    })
    expect(error.problems).toHaveLength(6)
    const lines = error.message.split('\n')
    expect(lines[0]).toBe('Invalid inputs:')
    expect(lines.slice(1)).toEqual(error.problems.map(p => `- ${p}`))
    for (const input of ['webhook', 'wait', 'timeout', 'fail-on', 'max-findings', 'retention-days']) {
      expect(error.problems.some(p => p.startsWith(`'${input}'`))).toBe(true)
    }
  })

  it('phrases a single problem on one line', () => {
    const error = new InputError(['only this'])
    expect(error.message).toBe('Invalid input: only this')
    expect(error).toBeInstanceOf(Error)
  })
})

describe('parseInputs: several targets and scan-id', () => {
  const names = (settings: Settings) => settings.targets.map(target => [target.name, target.api.webhook])

  it('reads one target a line, named or numbered, each report beside report-path under its name', () => {
    const settings = parse({ webhook: `shop: ${SECRET}\n\n  abc-2  \nhttps://h.test/webhook/abc-3` })
    expect(names(settings)).toEqual([
      ['shop', SECRET],
      ['target-2', 'abc-2'],
      ['target-3', 'abc-3']
    ])
    expect(settings.targets.map(target => target.reportPath)).toEqual(
      ['shop', 'target-2', 'target-3'].map(name => resolve(WORKSPACE, `crashtest-report-${name}.xml`))
    )
    expect(settings.targets[2]?.api.baseUrl).toBe('https://h.test/webhook')
    expect(settings.maxParallel).toBe(3)
  })

  it('keeps report-path as it is for one target, even a named one', () => {
    expect(parse({ webhook: `shop: ${SECRET}` }).targets).toEqual([
      expect.objectContaining({ name: 'shop', reportPath: resolve(WORKSPACE, 'crashtest-report.xml') })
    ])
  })

  it('tells which line is wrong, never quoting a webhook', () => {
    const error = inputError({ webhook: `shop: ${SECRET}\nshop: ${SECRET}x\n${SECRET} y` }, [SECRET])
    expect(error.problems).toEqual([
      "'webhook' line 3 (target-3) must be the webhook secret (letters, digits, '-', '_', '.', '~') or the whole webhook URL",
      "'webhook' names the target 'shop' more than once; give each target its own name"
    ])
  })

  it('matches scan-id lines to targets by name, and a bare id to the only target', () => {
    expect(parse({ 'scan-id': '4711' }).targets[0]?.scanId).toBe('4711')
    const settings = parse({ webhook: `shop: ${SECRET}\napi: abc`, 'scan-id': 'api: 17' })
    expect(settings.targets.map(target => target.scanId)).toEqual([undefined, '17'])
  })

  it.each([
    ['a bare id with several targets', `a: ${SECRET}\nb: abc`, '17', "'scan-id' line 1 gives no target name"],
    ['an unknown name', `a: ${SECRET}`, 'c: 17', "names the target 'c', which 'webhook' does not name (a)"],
    ['an id that is no id', SECRET, '../17', "'scan-id' line 1 must be a scan id"],
    [
      'two ids for one target',
      `a: ${SECRET}`,
      'a: 1\na: 2',
      "'scan-id' line 2 gives the target 'a' a second scan id"
    ]
  ])('refuses %s', (_what, webhook, scanId, message) => {
    expect(problemOf({ webhook, 'scan-id': scanId })).toContain(message)
  })

  it('needs wait for a scan-id, and a whole number for max-parallel', () => {
    expect(problemOf({ 'scan-id': '17', wait: 'false' })).toContain(
      "'scan-id' follows a scan that is already started"
    )
    expect(problemOf({ 'max-parallel': '0' })).toContain(
      "'max-parallel' must be a whole number of scans, at least 1"
    )
    expect(parse({ webhook: `a: ${SECRET}\nb: abc`, 'max-parallel': '1' }).maxParallel).toBe(1)
  })
})

describe('a target UUID in place of the webhook', () => {
  it('is taken as the webhook is, for the same endpoint, as newer targets of Veracode DAST Essentials have no webhook', () => {
    const uuid = '3f2c1a9e-7b4d-4e8f-a1c2-9d0e5b6f7a81'
    expect(parse({ webhook: uuid }).api).toMatchObject({ baseUrl: DEFAULT_API_URL, webhook: uuid })
  })
})
