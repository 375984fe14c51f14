import { ApiError, errorMessage, errorClause } from '../api/errors.js'
import { backoffUpTo, sleep, withRetries } from '../api/retry.js'
import type { StartPayload } from '../api/start-payload.js'
import { formatDuration } from '../log/durations.js'
import type { RunLog } from '../log/run-log.js'
import { ScanError } from './scan-error.js'
import type { ScanStep } from './scan-step.js'

export type StartOutcome = { kind: 'started'; scanId: string } | { kind: 'timeout'; waitedMs: number }

const START_ATTEMPTS = 6

/**
 * Starts the scan, sending `payload` (the scan configuration) when there is one. A start is retried only
 * when it cannot have started a scan; when a scan of the target is already running, `if-running` decides
 * between waiting for it to end and failing.
 */
export async function startScan(step: ScanStep, payload?: StartPayload): Promise<StartOutcome> {
  const { client, log, settings, deadline, signal } = step
  const begun = Date.now()
  for (;;) {
    const answer = await withRetries(() => client.startScan(payload), {
      attempts: START_ATTEMPTS,
      backoff: backoffUpTo(settings.pollIntervalMs),
      retryable: error => error instanceof ApiError && error.details.notProcessed && error.details.transient,
      requestedDelay: error => (error as ApiError).details.retryAfterMs,
      onRetry: (error, attempt, delay) =>
        log.info(
          `${errorMessage(error)}; no scan was started. Attempt ${attempt + 1} in ${formatDuration(delay)}.`
        ),
      deadline,
      signal
    }).catch(error => {
      throw explainStartFailure(error, log)
    })
    if (answer.kind === 'started') return answer

    if (settings.ifRunning === 'fail') {
      throw new ScanError(
        `A scan of this target is already running (the service answered "${answer.message}"). ` +
          `Wait for it to finish, or set ${log.option('if-running', 'wait')} to wait for it.`
      )
    }
    const now = Date.now()
    if (now >= deadline) return { kind: 'timeout', waitedMs: now - begun }
    const delay = Math.min(settings.pollIntervalMs, deadline - now)
    log.info(
      `A scan of this target is already running; trying to start again in ${formatDuration(delay)} (waited ${formatDuration(now - begun)}).`
    )
    await sleep(delay, signal)
  }
}

function explainStartFailure(error: unknown, log: RunLog): Error {
  if (!(error instanceof ApiError)) return error as Error
  const status = error.status
  if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
    // A 401 or 403 already says what to check (the client knows whether the request was signed).
    const hint =
      status === 404
        ? ` The service does not know this webhook: check ${log.option('webhook')} and ${log.option('api-url')}.`
        : ''
    return new ScanError(`Could not start the scan: ${errorClause(error)}.${hint}`)
  }
  if (error.details.notProcessed) {
    const when = error.details.transient ? '; try again later' : ''
    return new ScanError(`Could not start the scan: ${errorClause(error)}. No scan was started${when}.`)
  }
  return new ScanError(
    `Could not start the scan: ${errorClause(error)}. A scan may have started all the same: check the target in the Crashtest dashboard before running again.`
  )
}
