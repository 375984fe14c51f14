import * as core from '@actions/core'
import type { RunOutcome } from '../engine/run/outcome.js'
import { outputValues } from '../engine/run/outputs.js'
import type { UploadedArtifact } from './artifact.js'

/** Sets every output the outcome knows, including on a failing step. */
export function setOutputs(outcome: RunOutcome, artifact?: UploadedArtifact): void {
  for (const [name, value] of Object.entries(outputValues(outcome))) {
    core.setOutput(name, typeof value === 'string' ? value : JSON.stringify(value))
  }
  if (artifact) core.setOutput('artifact-id', String(artifact.id))
}
