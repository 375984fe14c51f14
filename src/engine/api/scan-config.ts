/** What the start request tells the service about the target, as the settings give it; see start-payload.ts. */

export interface Credentials {
  username: string
  password: string
}

export interface LoginForm extends Credentials {
  /** The login page of the scanned application. */
  url: string
}

export interface HeaderEntry {
  key: string
  value: string
}

export interface ApiSpecSource {
  /** As the user gave it, for messages. */
  input: string
  /** Absolute path of the file. */
  path: string
  /** The parsed document; input-helper reads and checks the file before any request. */
  document?: Record<string, unknown>
}

/** The built-in login flow: POST `body` to `url`, take the token at `path`, send it as a header. */
export interface TokenLogin {
  url: string
  /** JSON text, sent as it was given; undefined sends no body. A secret. */
  body?: string
  /** Where the token sits in the JSON answer, as keys from the root. */
  path: string[]
  header: string
  prefix: string
}

export interface ScanConfig {
  basicAuth?: Credentials
  loginForm?: LoginForm
  /** Sent with every request of the scan, in the given order. */
  headers: HeaderEntry[]
  apiSpec?: ApiSpecSource
  tokenLogin?: TokenLogin
}

/** Control characters other than tab, which cannot be part of a header value. */
export const CONTROL = /(?!\t)\p{Cc}/u

/** A URL without its query and fragment, which may hold credentials. */
export function displayUrl(raw: string): string {
  const url = new URL(raw)
  return `${url.origin}${url.pathname}`
}
