import { constants } from 'node:os'
import { conclusionOf, type RunOutcome } from '../engine/run/outcome.js'
import type { Settings } from '../engine/settings/settings.js'

export const EXIT = { passed: 0, failed: 1, usage: 2, error: 3, timeout: 4 } as const

/** What each exit code means, for --help and the docs. */
export const EXIT_CODES: Record<number, string> = {
  [EXIT.passed]:
    'passed: no rule was broken (also: the scan was started with --no-wait; a time-out with --on-timeout warn)',
  [EXIT.failed]: 'failed: the report broke the rules',
  [EXIT.usage]: 'bad usage or input: an unknown option, a bad value, a missing webhook; no request was sent',
  [EXIT.error]: 'error: the scan could not be completed (start, status, report); the message says what to do',
  [EXIT.timeout]: 'timeout: the scan did not finish within --timeout',
  130: 'interrupted by SIGINT (Ctrl-C); 143 for SIGTERM. The scan goes on running on the service'
}

export function exitCodeOf(outcome: RunOutcome, settings: Settings): number {
  if (conclusionOf(outcome.result, settings.onTimeout) !== 'fail') return EXIT.passed
  return outcome.result === 'failed' ? EXIT.failed : outcome.result === 'timeout' ? EXIT.timeout : EXIT.error
}

/** As shells report a process a signal ended: 128 + the signal's number. */
export function exitCodeOfSignal(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal]
}
