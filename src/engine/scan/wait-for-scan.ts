import { ApiError, errorClause } from '../api/errors.js'
import { MAX_REQUESTED_DELAY_MS, backoffDelay, sleep } from '../api/retry.js'
import { formatDuration } from '../log/durations.js'
import { ScanError } from './scan-error.js'
import type { ScanStep } from './scan-step.js'

export type WaitOutcome =
  | { kind: 'finished'; statusCode: number; waitedMs: number }
  | { kind: 'timeout'; statusCode?: number; waitedMs: number }

/** Codes up to this one mean the scan is queued (100) or running (101); every client treats above as done. */
export const LAST_ACTIVE_STATUS = 101
export const MAX_CONSECUTIVE_STATUS_FAILURES = 10

const STATUS_NAMES: Record<number, string> = { 100: 'queued', 101: 'running' }

/**
 * Polls the scan's status until it is finished or the deadline passes. A status request that fails
 * is retried with backoff; ten failures in a row end the run, as does any answer that says the
 * request itself is wrong (4xx).
 */
export async function waitForScan(
  step: ScanStep,
  scanId: string,
  onStatus: (statusCode: number) => void
): Promise<WaitOutcome> {
  const { client, log, settings, deadline, signal } = step
  const begun = Date.now()
  let statusCode: number | undefined
  let failures = 0
  for (;;) {
    const polledAt = Date.now()
    let delay = settings.pollIntervalMs
    try {
      statusCode = await client.getStatus(scanId)
      failures = 0
      onStatus(statusCode)
      const waited = formatDuration(Date.now() - begun)
      if (statusCode > LAST_ACTIVE_STATUS) {
        log.progress(`Status ${statusCode} (finished) after ${waited}.`)
        return { kind: 'finished', statusCode, waitedMs: Date.now() - begun }
      }
      log.progress(`Status ${statusCode} (${STATUS_NAMES[statusCode] ?? 'not finished'}), waited ${waited}.`)
      // The interval runs from one request's start to the next: the answer's time does not add to it.
      delay = Math.max(0, polledAt + settings.pollIntervalMs - Date.now())
    } catch (error) {
      if (!(error instanceof ApiError) || !error.details.transient) {
        throw new ScanError(`Could not follow scan ${scanId}: ${errorClause(error)}.`)
      }
      failures++
      if (failures >= MAX_CONSECUTIVE_STATUS_FAILURES) {
        throw new ScanError(
          `The status of scan ${scanId} could not be read ${failures} times in a row (last: ${error.message}). ` +
            `The scan may still be running: check it in the Crashtest dashboard.`
        )
      }
      const requested = error.details.retryAfterMs
      delay =
        requested === undefined
          ? Math.min(backoffDelay(failures - 1), settings.pollIntervalMs)
          : Math.min(requested, MAX_REQUESTED_DELAY_MS)
      log.progress(`${error.message} (${failures} in a row); trying again in ${formatDuration(delay)}.`)
    }
    const now = Date.now()
    if (now >= deadline) return { kind: 'timeout', statusCode, waitedMs: now - begun }
    await sleep(Math.min(delay, deadline - now), signal)
  }
}
