import * as core from '@actions/core'
import { errorMessage, errorClause } from '../engine/api/errors.js'
import { workflowFileUri } from '../engine/files/sarif.js'
import { describeViolation } from '../engine/policy/gate.js'
import { noteCancellation, untilAborted } from '../engine/run/cancellation.js'
import { conclusionOf, type RunOutcome, type TargetOutcome } from '../engine/run/outcome.js'
import { describeSettings, runScans } from '../engine/run/run-scan.js'
import { readSettings } from '../engine/settings/read-settings.js'
import type { Settings } from '../engine/settings/settings.js'
import { parseActionSettings, readActionInput, type ActionSettings } from './action-inputs.js'
import { annotate } from './annotations.js'
import { findBaselines } from './baseline-lookup.js'
import { uploadArtifact, type ActionOutcome, type UploadedArtifact } from './artifact.js'
import { githubLog } from './github-log.js'
import { syncIssues } from './issues.js'
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
  if (settings.policyFiles.baseline === 'auto') {
    const lookup = () => findBaselines(settings, actionSettings)
    settings.policy.baselines = await githubLog.section('Baseline', lookup)
  }
  const outcome = await runScans(settings, githubLog, {
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
      if (!read.settings.targets.some(target => target.api.veracode)) {
        core.notice(
          'No Veracode API credentials: requests are not signed, as the legacy Crashtest API expects. For Veracode DAST Essentials, pass your API credentials as the veracode-api-id and veracode-api-key inputs, from secrets.',
          { title: 'Crashtest: the legacy API is called' }
        )
      }
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
  outcome: ActionOutcome,
  signal: AbortSignal
): Promise<void> {
  // Every report, and the files made from them, go into one artifact.
  const keptFiles = [
    ...outcome.targets.flatMap(target => [target.reportPath, target.findingsPath]),
    outcome.sarifPath
  ].filter((file): file is string => Boolean(file))
  const scanIds = outcome.targets.flatMap(target => (target.scanId === undefined ? [] : [target.scanId]))
  if (keptFiles.length > 0 && scanIds.length > 0 && actionSettings.artifact.upload && !signal.aborted) {
    const upload = keepAsArtifact(actionSettings, scanIds, keptFiles)
    outcome.artifact = await untilAborted(upload, signal).catch(() => undefined)
  }
  // Cancelled during the upload: an error, whatever the scans found.
  if (signal.aborted) {
    for (const target of outcome.targets) noteCancellation(target, signal)
    outcome.result = 'error'
  }
  if (actionSettings.issues.enabled && !signal.aborted) {
    outcome.issues = await core.group('Issues', () => syncIssues(outcome, actionSettings))
  }
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
  if (actionSettings.annotations) annotate(outcome)
  conclude(settings, outcome)
}

function conclude(settings: Settings, run: RunOutcome): void {
  const several = run.targets.length > 1
  const about = (target: TargetOutcome, text: string): string => (several ? `${target.name}: ${text}` : text)
  const worst = run.targets.filter(target => target.result === run.result)
  const messages = (fallback: string): string =>
    worst.map(target => about(target, target.message ?? fallback)).join('\n')
  switch (run.result) {
    case 'passed':
      core.info(several ? 'No target broke a rule: the scan passes.' : 'No rule was broken: the scan passes.')
      return
    case 'started':
      for (const target of run.targets) {
        core.info(about(target, `Scan ${target.scanId} started; not waiting for it (wait: false).`))
      }
      return
    case 'failed': {
      const broken = worst.map(target =>
        about(target, target.verdict?.violations.map(describeViolation).join('; ') ?? '')
      )
      core.setFailed(`The scan broke the rules: ${broken.join('\n')}.`)
      return
    }
    case 'timeout':
      if (conclusionOf(run.result, settings.onTimeout) === 'warn')
        core.warning(messages('The scan timed out.'))
      else core.setFailed(messages('The scan timed out.'))
      return
    case 'error':
      core.setFailed(messages('The scan could not be completed.'))
  }
}

async function keepAsArtifact(
  actionSettings: ActionSettings,
  scanIds: readonly string[],
  files: string[]
): Promise<UploadedArtifact | undefined> {
  return core.group('Artifact', async () => {
    try {
      return await uploadArtifact(actionSettings.artifact, scanIds, files)
    } catch (error) {
      core.warning(
        `Could not upload the report as an artifact: ${errorClause(error)}. It is still at ${files[0]}.`
      )
      return undefined
    }
  })
}
