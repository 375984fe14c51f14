// The summary and the comment render a whole run; most of their tests are about one target's scan.
import type { ActionOutcome, UploadedArtifact } from '../../src/action/artifact.js'
import type { TargetOutcome } from '../../src/engine/run/outcome.js'

/** One target's outcome, as the tests write it (no name needed), with the run's artifact beside it. */
export type OneTarget = Omit<TargetOutcome, 'name'> & { artifact?: UploadedArtifact }

/** The run of a step with one target: what the action publishes for it. */
export function oneTarget(outcome: OneTarget): ActionOutcome {
  const { artifact, ...target } = outcome
  return { result: target.result, targets: [{ name: 'target-1', ...target }], ...(artifact && { artifact }) }
}
