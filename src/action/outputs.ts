import * as core from '@actions/core'
import { outputValues } from '../engine/run/outputs.js'
import type { ActionOutcome, UploadedArtifact } from './artifact.js'

/** Sets every output the outcome knows, including on a failing step. */
export function setOutputs(outcome: ActionOutcome, artifact?: UploadedArtifact): void {
  for (const [name, value] of Object.entries(outputValues(outcome))) {
    core.setOutput(name, typeof value === 'string' ? value : JSON.stringify(value))
  }
  if (artifact) core.setOutput('artifact-id', String(artifact.id))
  if (outcome.issues) {
    core.setOutput('issues-opened', String(outcome.issues.opened.length))
    core.setOutput('issues-closed', String(outcome.issues.closed.length))
    core.setOutput('issues-reopened', String(outcome.issues.reopened.length))
  }
}
