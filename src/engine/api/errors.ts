/** What went wrong with one API call, in words that never contain the webhook secret. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly details: {
      /** HTTP status, when the service answered. */
      status?: number
      /** The `message` field of the service's JSON answer, when it had one. */
      apiMessage?: string
      /** Worth trying again: a network fault, a time-out, 429 or 5xx. */
      transient: boolean
      /** The request certainly did not reach the service's logic (refused connection, 429, 502/503/504). */
      notProcessed: boolean
      retryAfterMs?: number
    }
  ) {
    super(message)
    this.name = 'ApiError'
  }

  get status(): number | undefined {
    return this.details.status
  }
}

export function describeHttpFailure(what: string, status: number, apiMessage?: string): string {
  return `${what} answered HTTP ${status}${apiMessage ? `: ${apiMessage}` : ''}`
}

/** Replaces every occurrence of the secrets in a text, for errors raised below this layer. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter(Boolean).reduce((result, secret) => result.split(secret).join('***'), text)
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The error's message without its final period, to be followed by more of a sentence. */
export function errorClause(error: unknown): string {
  return errorMessage(error).replace(/\.+$/, '')
}
