import * as core from '@actions/core'
import type { Verdict } from '../engine/policy/gate.js'

export const MAX_ANNOTATIONS = 10

/** One error annotation per finding that broke a rule, at most ten, then one notice for the rest. */
export function annotate(verdict: Verdict): void {
  const shown = verdict.breaking.slice(0, MAX_ANNOTATIONS)
  for (const finding of shown) {
    const severity =
      finding.severity === 'unknown' ? `unknown severity "${finding.reportedType}"` : finding.severity
    core.error(`${finding.scanner}: ${finding.message || finding.title}`, {
      title: `Crashtest ${severity}: ${finding.title}`
    })
  }
  const rest = verdict.breaking.length - shown.length
  if (rest > 0) {
    core.notice(`${rest} more findings broke the rules; the job summary and the report list all of them.`, {
      title: 'Crashtest: more findings'
    })
  }
}
