import type { ScanConfig } from './scan-config.js'

/** The JSON body of the start request, as the webhook API documents it; every key optional. */
export interface StartPayload {
  system_authentication?: { basic_auth: { username: string; password: string } }
  application_authentication?: { username: string; password: string; url: string }[]
  parameter_authentication?: { type: 'HEADER'; key: string; value: string }[]
  specs?: { api_spec: Record<string, unknown> }
}

/**
 * The start payload with only the keys the user configured, or undefined when nothing is configured (the
 * start request then has an empty body, as the API documents it). `loginToken` is the token the login
 * flow fetched; it is sent last among the headers. Pure.
 */
export function buildStartPayload(config: ScanConfig, loginToken?: string): StartPayload | undefined {
  const payload: StartPayload = {}
  if (config.basicAuth) {
    const { username, password } = config.basicAuth
    payload.system_authentication = { basic_auth: { username, password } }
  }
  if (config.loginForm) {
    const { username, password, url } = config.loginForm
    payload.application_authentication = [{ username, password, url }]
  }
  const headers = config.headers.map(({ key, value }) => ({ type: 'HEADER' as const, key, value }))
  if (config.tokenLogin) {
    if (loginToken === undefined) throw new Error('The login flow is configured but no token was fetched')
    const { header, prefix } = config.tokenLogin
    headers.push({ type: 'HEADER', key: header, value: `${prefix}${loginToken}` })
  }
  if (headers.length > 0) payload.parameter_authentication = headers
  if (config.apiSpec) {
    if (!config.apiSpec.document) throw new Error(`The API spec ${config.apiSpec.input} was not read`)
    payload.specs = { api_spec: config.apiSpec.document }
  }
  return Object.keys(payload).length > 0 ? payload : undefined
}
