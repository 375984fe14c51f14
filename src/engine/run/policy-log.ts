import type { RunLog } from '../log/run-log.js'
import { describeChange } from '../policy/baseline.js'
import type { PolicySettings, Verdict } from '../policy/gate.js'
import { describeSuppression } from '../policy/suppressions.js'

/** What the suppressions file and the baseline did, in the log. An expired entry is a warning. */
export function logPolicyEffects(log: RunLog, verdict: Verdict, policy: PolicySettings): void {
  const file = policy.suppressions?.file ?? 'the suppressions file'
  if (verdict.suppressed.length > 0) {
    log.info(`Suppressed: ${findings(verdict.suppressed.length)} accepted by ${file}.`)
  }
  for (const { entry, wouldMatch } of verdict.expired) {
    const judgedAgain =
      wouldMatch > 0
        ? `it matches ${findings(wouldMatch)} of this scan, no longer suppressed`
        : 'it matches no finding of this scan'
    log.warning(
      `The suppression at ${describeSuppression(entry)} has expired and suppresses nothing; ${judgedAgain}. Renew its date or remove it from ${file}.`,
      'Crashtest: suppression expired'
    )
  }
  for (const entry of verdict.unused) {
    log.info(`Unused suppression, it matched no finding of this scan: ${describeSuppression(entry)}`)
  }
  for (const name of verdict.unreportedScanners) {
    log.warning(
      `'fail-on-scanners' lists ${name}, but the report has no testcase of that scanner: a typo, or a check the target's plan does not run. The rule cannot hold for it.`,
      'Crashtest: scanner not in the report'
    )
  }
  if (verdict.baseline) {
    log.info(`Compared with the baseline: ${describeChange(verdict.baseline)}; only new findings are judged.`)
  }
}

function findings(count: number): string {
  return `${count} ${count === 1 ? 'finding' : 'findings'}`
}
