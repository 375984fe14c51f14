import {
  CONTROL,
  displayUrl,
  type ApiSpecSource,
  type Credentials,
  type HeaderEntry,
  type LoginForm,
  type ScanConfig,
  type TokenLogin
} from '../api/scan-config.js'
import { resolvePath, type InputFields } from './input-fields.js'
import { isLoopback, tryUrl } from './urls.js'

// RFC 9110 field names: a token of these characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * The scan configuration inputs: credentials for the scanned application, the API spec, the login flow.
 * Pure; messages never quote a password, a header value or the token body.
 */
export function parseScanConfig(fields: InputFields, baseDir: string): ScanConfig {
  const { read, problem } = fields
  const headers = parseHeaders(read('auth-headers'), problem)
  const config: ScanConfig = {
    basicAuth: parseBasicAuth(fields),
    loginForm: parseLoginForm(fields),
    headers,
    apiSpec: parseApiSpecPath(read('api-spec'), baseDir),
    tokenLogin: parseTokenLogin(fields, headers)
  }
  if (config.loginForm && config.apiSpec) {
    problem(
      `'login-url', 'login-username' and 'login-password' (a login form) cannot be combined with 'api-spec': the service refuses login forms for API scan targets. Use 'auth-headers' or the login flow ('token-url') to authenticate API requests`
    )
  }
  return config
}

/** Every secret among the scan configuration inputs, for masking the moment they are read. */
export function scanConfigSecrets(read: (name: string) => string): string[] {
  const secrets = [read('basic-auth-password'), read('login-password')]
  for (const line of headerLines(read('auth-headers'))) {
    const colon = line.text.indexOf(':')
    if (colon >= 0) secrets.push(line.text.slice(colon + 1).trim())
    else secrets.push(line.text.trim()) // a malformed line may be a value without its name
  }
  secrets.push(...tokenBodySecrets(read('token-body')))
  return [...new Set(secrets.filter(secret => secret !== ''))]
}

/**
 * The token body as one secret when it is one line. A body written over several lines is masked line by
 * line (the runner matches masks within single log lines), leaving out lines of bare JSON punctuation
 * such as `{`, whose mask would blank every brace in the log; and in its compact form, as sent.
 */
function tokenBodySecrets(body: string): string[] {
  if (body === '') return []
  if (!/[\r\n]/.test(body)) return [body]
  const lines = body
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => /[\p{L}\p{N}]/u.test(line))
  try {
    return [JSON.stringify(JSON.parse(body)), ...lines]
  } catch {
    return lines
  }
}

/** One line of what the scan configuration sends, without any secret. */
export function describeScanConfig(config: ScanConfig): string {
  const parts: string[] = []
  if (config.basicAuth) parts.push('basic auth')
  if (config.loginForm) parts.push(`a login form at ${config.loginForm.url}`)
  if (config.headers.length > 0) parts.push(`headers ${config.headers.map(h => h.key).join(', ')}`)
  if (config.apiSpec) parts.push(`the API spec ${config.apiSpec.input}`)
  if (config.tokenLogin) {
    parts.push(`a token from ${displayUrl(config.tokenLogin.url)} in the ${config.tokenLogin.header} header`)
  }
  return parts.length === 0
    ? 'none (the start request has an empty body)'
    : `${parts.join('; ')}. Credentials sent with the start replace those stored in the service.`
}

/** Both or neither: a user name without its password is most often a secret this workflow cannot see. */
function parseBasicAuth(fields: InputFields): Credentials | undefined {
  const username = fields.read('basic-auth-username')
  const password = fields.read('basic-auth-password')
  if (username === '' && password === '') return undefined
  if (username === '' || password === '') {
    const [given, missing] = username === '' ? ['password', 'username'] : ['username', 'password']
    return fields.problem(
      `'basic-auth-${given}' is set but 'basic-auth-${missing}' is empty: give both or neither (is the secret given to this job?)`
    )
  }
  if (username.includes(':')) {
    return fields.problem(`'basic-auth-username' must not contain ':', which HTTP basic auth cannot carry`)
  }
  return { username, password }
}

function parseLoginForm(fields: InputFields): LoginForm | undefined {
  const names = ['login-url', 'login-username', 'login-password'] as const
  const [url, username, password] = names.map(name => fields.read(name)) as [string, string, string]
  const missing = names.filter(name => fields.read(name) === '')
  if (missing.length === names.length) return undefined
  if (missing.length > 0) {
    return fields.problem(
      `a login form needs 'login-url', 'login-username' and 'login-password' together; ${missing.map(n => `'${n}'`).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} empty`
    )
  }
  const parsed = tryUrl(url)
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    return fields.problem(`'login-url' must be the http:// or https:// URL of the login page; got '${url}'`)
  }
  return { username, password, url }
}

function headerLines(raw: string): { number: number; text: string }[] {
  return raw
    .split(/\r?\n/)
    .map((text, index) => ({ number: index + 1, text }))
    .filter(line => line.text.trim() !== '')
}

/** `Name: value`, one a line. Messages name the line, never its text: the value is a secret. */
function parseHeaders(raw: string, problem: (message: string) => undefined): HeaderEntry[] {
  const headers: HeaderEntry[] = []
  for (const line of headerLines(raw)) {
    const where = `'auth-headers' line ${line.number}`
    const colon = line.text.indexOf(':')
    if (colon < 0) {
      problem(`${where} has no ':'; each line must be 'Name: value'`)
      continue
    }
    const key = line.text.slice(0, colon).trim()
    const value = line.text.slice(colon + 1).trim()
    if (key === '') {
      problem(`${where} has an empty header name; each line must be 'Name: value'`)
    } else if (!HEADER_NAME.test(key)) {
      problem(`${where} has a header name that is not a valid HTTP field name (letters, digits, - and _ ...)`)
    } else if (value === '') {
      problem(`${where} (${key}) has an empty value (is the secret given to this job?)`)
    } else if (CONTROL.test(value)) {
      problem(`${where} (${key}) has a control character in its value`)
    } else if (headers.some(h => h.key.toLowerCase() === key.toLowerCase())) {
      problem(`${where} sets ${key} a second time; give each header once`)
    } else {
      headers.push({ key, value })
    }
  }
  return headers
}

function parseApiSpecPath(input: string, baseDir: string): ApiSpecSource | undefined {
  if (input === '') return undefined
  return { input, path: resolvePath(input, baseDir) }
}

function parseTokenLogin(fields: InputFields, headers: HeaderEntry[]): TokenLogin | undefined {
  const { read, problem } = fields
  const url = read('token-url')
  const body = read('token-body')
  if (url === '') {
    if (body !== '') problem(`'token-body' is set but 'token-url' is empty: the login flow needs 'token-url'`)
    return undefined
  }
  const login: TokenLogin = {
    url: validateTokenUrl(url, problem),
    body: body === '' ? undefined : validateTokenBody(body, problem),
    path: parseTokenPath(read('token-path'), problem),
    header: read('token-header'),
    prefix: read('token-prefix')
  }
  if (!HEADER_NAME.test(login.header)) {
    problem(
      `'token-header' must be an HTTP header name (letters, digits, - and _ ...); got '${login.header}'`
    )
  } else if (headers.some(h => h.key.toLowerCase() === login.header.toLowerCase())) {
    problem(
      `'auth-headers' already sets ${login.header}, where the login flow puts its token ('token-header'); remove one of them`
    )
  }
  if (CONTROL.test(login.prefix)) problem(`'token-prefix' must not contain a line break or control character`)
  return login
}

/** Quotes only the host: the query of a token URL may hold a key. */
function validateTokenUrl(raw: string, problem: (message: string) => undefined): string {
  const url = tryUrl(raw)
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return problem(`'token-url' must be an https:// URL`) ?? raw
  }
  if (url.username || url.password) {
    return problem(`'token-url' must not contain credentials; send them in 'token-body'`) ?? raw
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return (
      problem(
        `'token-url' must use https://; plain http:// is accepted only for loopback hosts (127.0.0.0/8, ::1, localhost); got host '${url.hostname}'`
      ) ?? raw
    )
  }
  return url.href
}

/** The body is a secret: a parse error is told by its position, never by the text around it. */
function validateTokenBody(body: string, problem: (message: string) => undefined): string {
  try {
    JSON.parse(body)
    return body
  } catch (error) {
    const { message } = error as Error
    const position = (/line \d+ column \d+/.exec(message) ?? /position \d+/.exec(message))?.[0]
    return (
      problem(
        `'token-body' must be JSON (it is sent as the login request's body); it does not parse${position ? ` at ${position}` : ''}`
      ) ?? body
    )
  }
}

function parseTokenPath(raw: string, problem: (message: string) => undefined): string[] {
  const path = raw.split('.')
  if (path.some(key => key.trim() === '')) {
    return problem(`'token-path' must be keys separated by dots, like data.token; got '${raw}'`) ?? path
  }
  return path
}
