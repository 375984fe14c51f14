import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ApiError, errorMessage, errorClause } from '../api/errors.js'
import { backoffUpTo, withRetries } from '../api/retry.js'
import type { WebhookClient } from '../api/webhook-client.js'
import { formatDuration } from '../log/durations.js'
import type { RunLog } from '../log/run-log.js'
import { ScanError } from './scan-error.js'

export const REPORT_ATTEMPTS = 10

/**
 * Downloads the JUnit report to `path`. Right after a scan ends the service may not have the report
 * yet (HTTP 400), so that answer is retried like a transient fault: at most REPORT_ATTEMPTS tries,
 * never more than the poll interval apart (or as long as a Retry-After asks), all within
 * REPORT_ATTEMPTS poll intervals. A report that never comes thus costs minutes at most, not the job.
 * `newReader`, when given, is asked for a fresh reader before each attempt, and that reader is shown
 * the report as it arrives.
 */
export async function fetchReport(
  client: WebhookClient,
  log: RunLog,
  scanId: string,
  path: string,
  pollIntervalMs: number,
  signal?: AbortSignal,
  newReader?: () => (chunk: Buffer) => void
): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const begun = Date.now()
  await withRetries(() => client.downloadReport(scanId, path, newReader?.()), {
    attempts: REPORT_ATTEMPTS,
    backoff: backoffUpTo(pollIntervalMs),
    deadline: begun + REPORT_ATTEMPTS * pollIntervalMs,
    retryable: error => error instanceof ApiError && error.details.transient,
    requestedDelay: error => (error as ApiError).details.retryAfterMs,
    onRetry: (error, attempt, delay) =>
      log.info(
        `${errorMessage(error)}; attempt ${attempt + 1} of ${REPORT_ATTEMPTS} in ${formatDuration(delay)}.`
      ),
    signal
  }).catch(error => {
    if (signal?.aborted) throw error
    const tried =
      error instanceof ApiError && error.details.transient
        ? ` in ${formatDuration(Date.now() - begun)} of tries`
        : ''
    throw new ScanError(
      `Could not download the report of scan ${scanId}${tried}: ${errorClause(error)}. ` +
        `The scan itself has finished: its report can be downloaded from the Crashtest dashboard.`
    )
  })
}
