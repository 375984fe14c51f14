export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 30_000 }

/** The longest a `Retry-After` is honoured; a service asking for more is treated as asking for this. */
export const MAX_REQUESTED_DELAY_MS = 5 * 60_000

/** The default backoff, never waiting longer than `maxMs` (the poll interval) between two tries. */
export function backoffUpTo(maxMs: number): BackoffOptions {
  return { ...DEFAULT_BACKOFF, maxMs: Math.min(DEFAULT_BACKOFF.maxMs, maxMs) }
}

/**
 * Exponential backoff with jitter: a random delay between half and all of base·2^attempt, capped. The
 * jitter keeps pipelines that failed at the same moment from retrying in lockstep.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random = Math.random
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt))
  return Math.round(ceiling * (0.5 + random() / 2))
}

/** `Retry-After` as seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined
  const value = header.trim()
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000)
  // Every HTTP-date form has a time of day; without this, Date.parse reads garbage such as '-5' as a date.
  if (!/\d{2}:\d{2}:\d{2}/.test(value)) return undefined
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export interface RetryOptions {
  attempts: number
  backoff?: BackoffOptions
  /** Whether this failure is worth another attempt; the error is thrown as it is otherwise. */
  retryable: (error: unknown) => boolean
  /** The delay the other side asked for, when it did. */
  requestedDelay?: (error: unknown) => number | undefined
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  /** No retry may wait beyond this time (epoch ms). */
  deadline?: number
  signal?: AbortSignal
}

/** Runs `call` until it succeeds, a failure is not retryable, the attempts run out or the deadline passes. */
export async function withRetries<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      if (attempt >= options.attempts || !options.retryable(error)) throw error
      const requested = options.requestedDelay?.(error)
      const delay =
        requested === undefined
          ? backoffDelay(attempt - 1, options.backoff)
          : Math.min(requested, MAX_REQUESTED_DELAY_MS)
      if (options.deadline !== undefined && Date.now() + delay > options.deadline) throw error
      options.onRetry?.(error, attempt, delay)
      await sleep(delay, options.signal)
    }
  }
}
