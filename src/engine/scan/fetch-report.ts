import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ApiError, errorMessage, errorClause } from '../api/errors.js'
import { backoffUpTo, withRetries } from '../api/retry.js'
import { formatDuration } from '../log/durations.js'
import { ScanError } from './scan-error.js'
import type { ScanStep } from './scan-step.js'

export const REPORT_ATTEMPTS = 10

/** What reads the report as it downloads: a parser, say. */
export interface ReportReader {
  write(chunk: Buffer): unknown
}

/**
 * Downloads the JUnit report to `path`. Right after a scan ends the service may not have the report
 * yet (HTTP 400), so that answer is retried like a transient fault: at most REPORT_ATTEMPTS tries,
 * never more than the poll interval apart (or as long as a Retry-After asks), all within
 * REPORT_ATTEMPTS poll intervals. A report that never comes thus costs minutes at most, not the job.
 * `newReader` is asked for a fresh reader before each attempt, which is shown the report as it arrives;
 * the reader of the attempt that downloaded the whole report is returned.
 */
export async function fetchReport<Reader extends ReportReader>(
  step: ScanStep,
  scanId: string,
  path: string,
  newReader: () => Reader
): Promise<Reader> {
  const { client, log, signal } = step
  const { pollIntervalMs } = step.settings
  await mkdir(dirname(path), { recursive: true })
  const begun = Date.now()
  const download = async (): Promise<Reader> => {
    const reader = newReader()
    await client.downloadReport(scanId, path, chunk => reader.write(chunk))
    return reader
  }
  return withRetries(download, {
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
    if (signal.aborted) throw error
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
