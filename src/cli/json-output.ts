import { describeViolation } from '../engine/policy/gate.js'
import type { RunOutcome, TargetOutcome } from '../engine/run/outcome.js'
import { OUTPUTS, outputValues } from '../engine/run/outputs.js'
import type { CommandOutcome } from './verdict.js'

/**
 * The `--json` object: the action's outputs by the same names, with what a script needs besides: the
 * broken rules, and a `message` when a scan could not be completed or timed out. Values of several
 * targets are objects and arrays, never lines to split: `scan-id` maps each target's name to its id.
 */
export function jsonOutput(run: CommandOutcome): Record<string, unknown> {
  const several = run.targets.length > 1
  const actionOnly = new Set(OUTPUTS.filter(output => output.only === 'action').map(output => output.name))
  const values: Record<string, unknown> = Object.fromEntries(
    Object.entries(outputValues(run)).filter(([name]) => !actionOnly.has(name))
  )
  if (several) {
    const started = run.targets.filter(target => target.scanId !== undefined)
    if (started.length > 0) values['scan-id'] = Object.fromEntries(started.map(t => [t.name, t.scanId]))
    const kept = run.targets.flatMap(target => (target.reportPath ? [target.reportPath] : []))
    if (kept.length > 0) values['report-path'] = kept
  }
  if (run.junitPath) values['junit-path'] = run.junitPath
  const broken = run.targets.flatMap(target =>
    brokenRules(target).map(rule => (several ? { target: target.name, ...rule } : rule))
  )
  if (broken.length > 0) values.broken = broken
  const message = messageOf(run)
  if (message !== undefined) values.message = message
  values.targets = run.targets.map((target, index) => ({
    ...(values.targets as Record<string, unknown>[])[index],
    ...(brokenRules(target).length > 0 && { broken: brokenRules(target) }),
    ...(target.message !== undefined && { message: target.message })
  }))
  return values
}

function brokenRules(target: TargetOutcome): { rule: string; description: string }[] {
  return (target.verdict?.violations ?? []).map(violation => ({
    rule: violation.rule,
    description: describeViolation(violation)
  }))
}

/** Why the run is `error` or `timeout`: the one target's message, or which targets (theirs are in `targets`). */
function messageOf(run: RunOutcome): string | undefined {
  if (run.result !== 'error' && run.result !== 'timeout') return undefined
  const worst = run.targets.filter(target => target.result === run.result)
  if (run.targets.length === 1) return worst[0]?.message
  const names = worst.map(target => target.name).join(', ')
  return run.result === 'error'
    ? `${names} could not be completed: see each target's message.`
    : `${names} did not finish in time: see each target's message.`
}
