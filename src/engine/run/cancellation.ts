import { LAST_ACTIVE_STATUS } from '../scan/wait-for-scan.js'
import type { RunLog } from '../log/run-log.js'
import type { TargetOutcome } from './outcome.js'

export const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** The reason of the abort: the runner is cancelling the job, or someone pressed Ctrl-C. */
export class Cancelled extends Error {
  constructor(readonly signalName: NodeJS.Signals) {
    super(`The run was cancelled (${signalName})`)
    this.name = 'Cancelled'
  }
}

export interface Cancellation {
  signal: AbortSignal
  /** Stops listening, so that a signal after the run has its default effect again. */
  release(): void
}

/**
 * The first SIGINT or SIGTERM aborts `signal`: polling stops and what is known so far is published,
 * which takes well under a second. A later signal changes nothing: stopping is already under way. (The
 * GitHub runner cancels a job with SIGINT, then SIGTERM 7.5 s later, then kills the process 2.5 s after
 * that, the last resort should stopping ever hang.) `why` says what the signal means where it comes from.
 */
export function cancelOnSignals(log: RunLog, why: string): Cancellation {
  const controller = new AbortController()
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) return log.info(`${name} received: already stopping.`)
    log.info(`${name} received: ${why}; stopping.`)
    controller.abort(new Cancelled(name))
  }
  for (const name of CANCEL_SIGNALS) process.on(name, onSignal)
  return {
    signal: controller.signal,
    release: () => CANCEL_SIGNALS.forEach(name => process.off(name, onSignal))
  }
}

/** `work`, or a rejection with the abort reason as soon as `signal` aborts, whichever comes first. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    if (signal.aborted) onAbort()
  })
}

/** A cancelled run is an error whatever it found; the files it kept stay where they are. */
export function noteCancellation(outcome: TargetOutcome, signal: AbortSignal): void {
  if (!signal.aborted) return
  Object.assign(outcome, { result: 'error', message: describeCancellation(signal.reason, outcome) })
}

/** What a cancelled run says: how far it got, and what became of the scan on the service. */
function describeCancellation(
  reason: unknown,
  outcome: Pick<TargetOutcome, 'scanId' | 'statusCode' | 'reportPath'>
): string {
  const cancelled = reason instanceof Cancelled ? reason.message : 'The run was cancelled'
  const { scanId, statusCode, reportPath } = outcome
  if (scanId === undefined) {
    return `${cancelled} before the service confirmed a scan. If the start request reached it, a scan may be running: check the target in the Crashtest dashboard.`
  }
  if (reportPath) {
    return `${cancelled} after the report of scan ${scanId} was downloaded; the report is kept at ${reportPath}.`
  }
  if (statusCode !== undefined && statusCode > LAST_ACTIVE_STATUS) {
    return `${cancelled} before the report of scan ${scanId} was downloaded. Scan ${scanId} has finished: its report can be downloaded from the Crashtest dashboard.`
  }
  const last = statusCode === undefined ? '' : ` (last status ${statusCode})`
  return `${cancelled} while waiting for scan ${scanId}${last}. Scan ${scanId} keeps running on the service: the webhook API has no call to stop it, so stop it in the Crashtest dashboard if it is not wanted.`
}
