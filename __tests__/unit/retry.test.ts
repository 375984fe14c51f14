import { describe, expect, it, jest } from '@jest/globals'
import {
  MAX_REQUESTED_DELAY_MS,
  DEFAULT_BACKOFF,
  backoffDelay,
  parseRetryAfter,
  sleep,
  withRetries,
  type RetryOptions
} from '../../src/engine/api/retry.js'
import { formatDuration } from '../../src/engine/log/durations.js'

class Transient extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number
  ) {
    super(message)
  }
}

const retryable = (error: unknown): boolean => error instanceof Transient

/** A call that fails with the given errors in turn, then succeeds with `value`. */
function failing<T>(errors: Error[], value: T): { call: () => Promise<T>; calls: () => number } {
  let calls = 0
  return {
    call: async () => {
      const error = errors[calls++]
      if (error) throw error
      return value
    },
    calls: () => calls
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}

const FAST: Pick<RetryOptions, 'backoff'> = { backoff: { baseMs: 2, maxMs: 8 } }

/** A signal that ends a long wait after `ms`, so that a regression fails fast instead of hanging the run. */
function guard(ms = 2000): AbortSignal {
  const controller = new AbortController()
  setTimeout(() => controller.abort(new Error(`still waiting after ${ms} ms`)), ms).unref()
  return controller.signal
}

describe('backoffDelay', () => {
  const options = { baseMs: 100, maxMs: 1000 }

  it.each([
    [0, 50, 100],
    [1, 100, 200],
    [2, 200, 400],
    [3, 400, 800],
    [4, 500, 1000],
    [10, 500, 1000]
  ])('keeps attempt %i between %i and %i ms', (attempt, low, high) => {
    expect(backoffDelay(attempt, options, () => 0)).toBe(low)
    expect(backoffDelay(attempt, options, () => 1)).toBe(high)
    expect(backoffDelay(attempt, options, () => 0.5)).toBe(Math.round((low + high) / 2))
  })

  it('stays within half and all of the ceiling with Math.random', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(1000, 100 * 2 ** attempt)
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, options)
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2)
        expect(delay).toBeLessThanOrEqual(ceiling)
      }
    }
  })

  it('treats a negative attempt as the first', () => {
    expect(backoffDelay(-3, options, () => 1)).toBe(100)
  })

  it('uses 1 s doubling up to 30 s by default', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 1000, maxMs: 30_000 })
    expect(backoffDelay(0, undefined, () => 1)).toBe(1000)
    expect(backoffDelay(3, undefined, () => 1)).toBe(8000)
    expect(backoffDelay(50, undefined, () => 1)).toBe(30_000)
    expect(backoffDelay(50, undefined, () => 0)).toBe(15_000)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')

  it.each([
    ['0', 0],
    ['5', 5000],
    [' 7 ', 7000],
    ['120', 120_000],
    ['1.5', 1500],
    ['0.25', 250]
  ])('reads %j seconds', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms)
  })

  it.each([
    ['Wed, 21 Oct 2015 07:28:30 GMT', 30_000],
    ['Wed, 21 Oct 2015 08:28:00 GMT', 3_600_000],
    ['Wednesday, 21-Oct-15 07:28:05 GMT', 5000]
  ])('reads the future HTTP date %j', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms)
  })

  it('reads a date in the past as no delay', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', now)).toBe(0)
    // The asctime form, past in every time zone.
    expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', now)).toBe(0)
  })

  it('measures a date from the current time by default', () => {
    const delay = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())
    expect(delay).toBeGreaterThan(55_000)
    expect(delay).toBeLessThanOrEqual(60_000)
  })

  it.each([undefined, '', '   ', 'soon', 'abc', '-5', '5s', '1e3', '1,5', 'foo 1', 'Tue 3', 'null'])(
    'gives undefined for %j',
    header => {
      expect(parseRetryAfter(header, now)).toBeUndefined()
    }
  )
})

describe('sleep', () => {
  it('resolves after the delay', async () => {
    const begun = Date.now()
    await sleep(20)
    expect(Date.now() - begun).toBeGreaterThanOrEqual(18)
  })

  it('rejects with the reason when the signal aborts', async () => {
    const controller = new AbortController()
    const reason = new Error('cancelled')
    const begun = Date.now()
    const sleeping = sleep(10_000, controller.signal)
    setTimeout(() => controller.abort(reason), 5)
    expect(await rejection(sleeping)).toBe(reason)
    expect(Date.now() - begun).toBeLessThan(2000)
  })

  it('rejects at once when the signal has already aborted', async () => {
    const reason = new Error('already')
    expect(await rejection(sleep(10_000, AbortSignal.abort(reason)))).toBe(reason)
  })

  it('leaves no abort listener behind once it resolved', async () => {
    const controller = new AbortController()
    const add = jest.spyOn(controller.signal, 'addEventListener')
    const remove = jest.spyOn(controller.signal, 'removeEventListener')
    await sleep(1, controller.signal)
    expect(add).toHaveBeenCalledTimes(1)
    expect(remove).toHaveBeenCalledWith('abort', add.mock.calls[0]?.[1] as (event: Event) => void)
  })
})

describe('withRetries', () => {
  it('honours a requested delay only up to MAX_REQUESTED_DELAY_MS', async () => {
    const controller = new AbortController()
    const delays: number[] = []
    const attempt = withRetries(() => Promise.reject(new Error('busy')), {
      attempts: 3,
      retryable: () => true,
      requestedDelay: () => 24 * 3600_000,
      onRetry: (_error, _attempt, delay) => {
        delays.push(delay)
        controller.abort(new Error('stop'))
      },
      signal: controller.signal
    })
    await expect(attempt).rejects.toThrow('stop')
    expect(delays).toEqual([MAX_REQUESTED_DELAY_MS])
  })

  it('returns the first success without retrying', async () => {
    const { call, calls } = failing([], 'ok')
    const onRetry = jest.fn()
    expect(await withRetries(call, { attempts: 3, retryable, onRetry, ...FAST })).toBe('ok')
    expect(calls()).toBe(1)
    expect(onRetry).not.toHaveBeenCalled()
  })

  it('retries retryable failures until a call succeeds, telling onRetry each time', async () => {
    const first = new Transient('first')
    const second = new Transient('second')
    const { call, calls } = failing([first, second], 'ok')
    const onRetry = jest.fn<(error: unknown, attempt: number, delayMs: number) => void>()
    expect(await withRetries(call, { attempts: 5, retryable, onRetry, ...FAST })).toBe('ok')
    expect(calls()).toBe(3)
    expect(onRetry).toHaveBeenCalledTimes(2)
    expect(onRetry.mock.calls.map(([error, attempt]) => [error, attempt])).toEqual([
      [first, 1],
      [second, 2]
    ])
    // Backoff delays of the first and second retry: base·2^0 and base·2^1, each with jitter.
    const [delay1, delay2] = onRetry.mock.calls.map(([, , delay]) => delay)
    expect(delay1).toBeGreaterThanOrEqual(1)
    expect(delay1).toBeLessThanOrEqual(2)
    expect(delay2).toBeGreaterThanOrEqual(2)
    expect(delay2).toBeLessThanOrEqual(4)
  })

  it('throws a non-retryable failure at once', async () => {
    const fatal = new Error('fatal')
    const { call, calls } = failing([new Transient('t'), fatal], 'ok')
    const onRetry = jest.fn()
    expect(await rejection(withRetries(call, { attempts: 5, retryable, onRetry, ...FAST }))).toBe(fatal)
    expect(calls()).toBe(2)
    expect(onRetry).toHaveBeenCalledTimes(1)
  })

  it('throws the last failure when the attempts are exhausted', async () => {
    const errors = [new Transient('1'), new Transient('2'), new Transient('3'), new Transient('4')]
    const { call, calls } = failing(errors, 'ok')
    expect(await rejection(withRetries(call, { attempts: 3, retryable, ...FAST }))).toBe(errors[2])
    expect(calls()).toBe(3)
  })

  it('makes one attempt when attempts is 1', async () => {
    const error = new Transient('once')
    const { call, calls } = failing([error], 'ok')
    expect(await rejection(withRetries(call, { attempts: 1, retryable, ...FAST }))).toBe(error)
    expect(calls()).toBe(1)
  })

  it('waits the delay the other side asked for instead of the backoff', async () => {
    const { call } = failing([new Transient('slow down', 40)], 'ok')
    const onRetry = jest.fn<(error: unknown, attempt: number, delayMs: number) => void>()
    const begun = Date.now()
    await withRetries(call, {
      attempts: 2,
      retryable,
      requestedDelay: error => (error as Transient).retryAfterMs,
      onRetry,
      backoff: { baseMs: 1, maxMs: 1 }
    })
    expect(onRetry.mock.calls[0]?.[2]).toBe(40)
    expect(Date.now() - begun).toBeGreaterThanOrEqual(35)
  })

  it('honours a requested delay of 0 rather than falling back to the backoff', async () => {
    const { call } = failing([new Transient('now', 0)], 'ok')
    const onRetry = jest.fn<(error: unknown, attempt: number, delayMs: number) => void>()
    const begun = Date.now()
    await withRetries(call, {
      attempts: 2,
      retryable,
      requestedDelay: error => (error as Transient).retryAfterMs,
      onRetry,
      backoff: { baseMs: 60_000, maxMs: 60_000 },
      signal: guard()
    })
    expect(onRetry.mock.calls[0]?.[2]).toBe(0)
    expect(Date.now() - begun).toBeLessThan(5000)
  })

  it('uses the backoff when no delay was requested', async () => {
    const { call } = failing([new Transient('no header')], 'ok')
    const onRetry = jest.fn<(error: unknown, attempt: number, delayMs: number) => void>()
    await withRetries(call, {
      attempts: 2,
      retryable,
      requestedDelay: () => undefined,
      onRetry,
      backoff: { baseMs: 8, maxMs: 8 }
    })
    const delay = onRetry.mock.calls[0]?.[2]
    expect(delay).toBeGreaterThanOrEqual(4)
    expect(delay).toBeLessThanOrEqual(8)
  })

  it('throws instead of sleeping past the deadline', async () => {
    const error = new Transient('come back tomorrow', 86_400_000)
    const { call, calls } = failing([error], 'ok')
    const onRetry = jest.fn()
    const begun = Date.now()
    const thrown = await rejection(
      withRetries(call, {
        attempts: 5,
        retryable,
        requestedDelay: e => (e as Transient).retryAfterMs,
        onRetry,
        deadline: Date.now() + 1000,
        signal: guard()
      })
    )
    expect(thrown).toBe(error)
    expect(calls()).toBe(1)
    expect(onRetry).not.toHaveBeenCalled()
    expect(Date.now() - begun).toBeLessThan(500)
  })

  it('retries while the delay still ends before the deadline', async () => {
    const { call, calls } = failing([new Transient('a', 5), new Transient('b', 5)], 'ok')
    expect(
      await withRetries(call, {
        attempts: 5,
        retryable,
        requestedDelay: e => (e as Transient).retryAfterMs,
        deadline: Date.now() + 10_000
      })
    ).toBe('ok')
    expect(calls()).toBe(3)
  })

  it('stops when the signal aborts during the wait', async () => {
    const controller = new AbortController()
    const reason = new Error('cancelled')
    const { call, calls } = failing([new Transient('a', 10_000)], 'ok')
    const retrying = withRetries(call, {
      attempts: 5,
      retryable,
      requestedDelay: e => (e as Transient).retryAfterMs,
      signal: controller.signal,
      onRetry: () => setTimeout(() => controller.abort(reason), 5)
    })
    expect(await rejection(retrying)).toBe(reason)
    expect(calls()).toBe(1)
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [499, '0s'],
    [500, '1s'],
    [12_000, '12s'],
    [59_499, '59s'],
    [59_500, '1m 00s'],
    [60_000, '1m 00s'],
    [245_000, '4m 05s'],
    [3_599_000, '59m 59s'],
    [3_600_000, '1h 00m 00s'],
    [3_723_000, '1h 02m 03s'],
    [36_000_000, '10h 00m 00s'],
    [90_061_000, '25h 01m 01s'],
    [-5000, '0s']
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})
