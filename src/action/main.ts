import * as core from '@actions/core'
import { errorMessage } from '../engine/api/errors.js'
import { workflowFileUri } from '../engine/files/sarif.js'
import { describeViolation } from '../engine/policy/gate.js'
import { noteCancellation, untilAborted } from '../engine/run/cancellation.js'
import type { RunOutcome } from '../engine/run/outcome.js'
import { describeSettings, runScan } from '../engine/run/run-scan.js'
import { readSettings } from '../engine/settings/read-settings.js'
import type { Settings } from '../engine/settings/settings.js'
import { parseActionSettings, readActionInput, type ActionSettings } from './action-inputs.js'
import { annotate } from './annotations.js'
import { uploadArtifact, type ActionOutcome, type UploadedArtifact } from './artifact.js'
import { githubLog } from './github-log.js'
import { setOutputs } from './outputs.js'
import { commentOnPullRequest } from './pr-comment.js'
import { renderSummary } from './summary.js'

/**
 * Read the inputs; start, wait, fetch, judge (the engine); publish. When `signal` aborts (the job is
 * cancelled), the scan stops at once, in-flight requests included, and what was learnt is published.
 */
export async function run(signal = new AbortController().signal): Promise<void> {
  const read = await readInputs()
  if (!read) return
  const { settings, frontEnd: actionSettings } = read
  const outcome = await runScan(settings, githubLog, {
    signal,
    sarifFallbackUri: workflowFileUri(process.env)
  })
  await publish(settings, actionSettings, outcome, signal)
}

async function readInputs() {
  return githubLog.section('Inputs', async () => {
    try {
      const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
      const read = await readSettings(readActionInput, workspace, githubLog, parseActionSettings)
      describeSettings(githubLog, read.settings)
      return read
    } catch (error) {
      core.setOutput('result', 'error')
      core.setFailed(errorMessage(error))
      return undefined
    }
  })
}

async function publish(
  settings: Settings,
  actionSettings: ActionSettings,
  runOutcome: RunOutcome,
  signal: AbortSignal
): Promise<void> {
  const outcome: ActionOutcome = runOutcome
  // Files made from the report go into the artifact beside it.
  const keptFiles = [outcome.reportPath, outcome.findingsPath, outcome.sarifPath].filter(
    (file): file is string => Boolean(file)
  )
  if (keptFiles.length > 0 && outcome.scanId && actionSettings.artifact.upload && !signal.aborted) {
    outcome.artifact = await untilAborted(
      keepAsArtifact(actionSettings, outcome.scanId, keptFiles),
      signal
    ).catch(() => undefined)
  }
  noteCancellation(outcome, signal)
  setOutputs(outcome, outcome.artifact)
  if (actionSettings.summary) {
    try {
      await core.summary.addRaw(renderSummary(outcome, settings.policy)).write()
    } catch (error) {
      core.warning(`Could not write the job summary: ${errorMessage(error)}`)
    }
  }
  if (actionSettings.prComment && signal.aborted) {
    core.info('The pull-request comment is left as it was: the job is being cancelled.')
  } else if (actionSettings.prComment) {
    await core.group('Pull request comment', () =>
      commentOnPullRequest(actionSettings, outcome, settings.policy)
    )
  }
  if (actionSettings.annotations && outcome.verdict && !outcome.verdict.passed) annotate(outcome.verdict)
  conclude(settings, outcome)
}

function conclude(settings: Settings, outcome: RunOutcome): void {
  switch (outcome.result) {
    case 'passed':
      core.info('No rule was broken: the scan passes.')
      return
    case 'started':
      core.info(`Scan ${outcome.scanId} started; not waiting for it (wait: false).`)
      return
    case 'failed': {
      const broken = outcome.verdict?.violations.map(describeViolation).join('; ') ?? ''
      core.setFailed(`The scan broke the rules: ${broken}.`)
      return
    }
    case 'timeout':
      if (settings.onTimeout === 'warn') core.warning(outcome.message ?? 'The scan timed out.')
      else core.setFailed(outcome.message ?? 'The scan timed out.')
      return
    case 'error':
      core.setFailed(outcome.message ?? 'The scan could not be completed.')
  }
}

async function keepAsArtifact(
  actionSettings: ActionSettings,
  scanId: string,
  files: string[]
): Promise<UploadedArtifact | undefined> {
  return core.group('Artifact', async () => {
    try {
      return await uploadArtifact(actionSettings.artifact, scanId, files)
    } catch (error) {
      core.warning(
        `Could not upload the report as an artifact: ${errorMessage(error)}. It is still at ${files[0]}.`
      )
      return undefined
    }
  })
}
