import { CONTROL, displayUrl, type TokenLogin } from './scan-config.js'
import { formatDuration } from '../log/durations.js'
import type { RunLog } from '../log/run-log.js'
import { ApiError, errorMessage, redact, errorClause } from './errors.js'
import { HttpTransport, type HttpAnswer } from './http.js'
import { withRetries } from './retry.js'
import { REQUEST_TIMEOUT_MS } from './webhook-client.js'

const LOGIN_ATTEMPTS = 3

/** The login failed: no scan may start. The message says what happened and what to check. */
export class LoginError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LoginError'
  }
}

/**
 * The built-in login flow: POSTs `token-body` to `token-url` and returns the token found at `token-path`,
 * masked the moment it is read. Its own transport: this request goes to the scanned application, so it
 * carries neither the webhook nor any request signature of the scanning service. Answers are never
 * quoted, since a login answer holds the token (or, on failure, may echo the credentials).
 */
export async function fetchLoginToken(
  login: TokenLogin,
  log: RunLog,
  timeoutMs = REQUEST_TIMEOUT_MS
): Promise<string> {
  const where = displayUrl(login.url)
  const transport = new HttpTransport('crashtest-dast-action', timeoutMs)
  log.info(`Logging in at ${where} for a token.`)
  try {
    const answer = await withRetries(() => send(transport, login, where), {
      attempts: LOGIN_ATTEMPTS,
      // A login changes nothing that a second one would harm, so every transient failure is retried.
      retryable: error => error instanceof ApiError && error.details.transient,
      onRetry: (error, attempt, delay) =>
        log.info(`${errorClause(error)}. Attempt ${attempt + 1} in ${formatDuration(delay)}.`)
    })
    const token = tokenOf(answer, login.path, where, log)
    log.info(`Logged in: the token (masked) is sent in the ${login.header} header.`)
    return token
  } catch (error) {
    if (error instanceof LoginError) throw error
    throw new LoginError(
      `Could not log in: ${errorClause(error)}. Check ${log.option('token-url')} and ${log.option('token-body')}; no scan was started.`
    )
  } finally {
    transport.close()
  }
}

async function send(transport: HttpTransport, login: TokenLogin, where: string): Promise<HttpAnswer> {
  let answer: HttpAnswer
  try {
    answer = await transport.send({
      method: 'POST',
      url: login.url,
      body: login.body ?? '',
      headers: login.body === undefined ? {} : { 'content-type': 'application/json' }
    })
  } catch (error) {
    const reason = redact(errorMessage(error), [login.url, login.body ?? ''])
    throw new ApiError(`The login request to ${where} failed: ${reason}`, {
      transient: true,
      notProcessed: false
    })
  }
  if (answer.status < 200 || answer.status > 299) {
    const redirect = answer.status >= 300 && answer.status < 400 ? ' (redirects are not followed)' : ''
    throw new ApiError(`The login request to ${where} answered HTTP ${answer.status}${redirect}`, {
      status: answer.status,
      transient: answer.status === 429 || answer.status >= 500,
      notProcessed: false
    })
  }
  return answer
}

/** The token at `path` in the JSON answer, masked before anything else is done with it. */
function tokenOf(answer: HttpAnswer, path: string[], where: string, log: RunLog): string {
  let json: unknown
  try {
    json = JSON.parse(answer.body)
  } catch {
    const type = answer.headers['content-type'] ?? 'no content type'
    throw new LoginError(
      `Could not log in: the login request to ${where} answered HTTP ${answer.status} with a body that is not JSON (${type}), so it holds no token. Check ${log.option('token-url')}; no scan was started.`
    )
  }
  let value = json
  for (const [index, key] of path.entries()) {
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value)
    if (!isObject || !Object.hasOwn(value as object, key)) {
      const parent = index === 0 ? 'the answer' : `'${path.slice(0, index).join('.')}'`
      const why = isObject ? `${parent} has no key '${key}'` : `${parent} is not an object`
      throw new LoginError(
        `Could not log in: the login answer (HTTP ${answer.status}) has no token at '${path.join('.')}': ${why}. Check ${log.option('token-path')}; no scan was started.`
      )
    }
    value = (value as Record<string, unknown>)[key]
  }
  if (typeof value === 'string' && value !== '') log.secret(value)
  if (typeof value !== 'string' || value.trim() === '' || CONTROL.test(value)) {
    const what = typeof value === 'string' ? 'not a usable token' : kindOf(value)
    throw new LoginError(
      `Could not log in: the value at '${path.join('.')}' in the login answer is ${what}; a token is a non-empty string without line breaks. Check ${log.option('token-path')}; no scan was started.`
    )
  }
  return value
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}
