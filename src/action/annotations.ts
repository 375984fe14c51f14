import * as core from '@actions/core'
import type { RunOutcome } from '../engine/run/outcome.js'

export const MAX_ANNOTATIONS = 10

/**
 * One error annotation per finding that broke a rule, at most ten over all targets, then one notice for
 * the rest. With several targets, each title names its target.
 */
export function annotate(run: RunOutcome): void {
  const several = run.targets.length > 1
  const breaking = run.targets.flatMap(target =>
    (target.verdict?.breaking ?? []).map(finding => ({ target: target.name, finding }))
  )
  for (const { target, finding } of breaking.slice(0, MAX_ANNOTATIONS)) {
    const severity =
      finding.severity === 'unknown' ? `unknown severity "${finding.reportedType}"` : finding.severity
    core.error(`${finding.scanner}: ${finding.message || finding.title}`, {
      title: `Crashtest ${several ? `${target} ` : ''}${severity}: ${finding.title}`
    })
  }
  const rest = breaking.length - MAX_ANNOTATIONS
  if (rest > 0) {
    core.notice(`${rest} more findings broke the rules; the job summary and the report list all of them.`, {
      title: 'Crashtest: more findings'
    })
  }
}
