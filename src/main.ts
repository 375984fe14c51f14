import * as core from '@actions/core'
import { errorMessage } from './api/errors.js'
import { fetchLoginToken } from './api/login.js'
import { buildStartPayload } from './api/start-payload.js'
import { WebhookClient } from './api/webhook-client.js'
import { describeCancellation, untilAborted } from './cancellation.js'
import { getSettings } from './inputs/input-helper.js'
import { describeScanConfig } from './inputs/scan-config.js'
import type { Settings } from './inputs/settings.js'
import { judge, describePolicy, describeViolation } from './policy/gate.js'
import { formatDuration } from './polling/durations.js'
import { fetchReport } from './polling/fetch-report.js'
import { startScan } from './polling/start-scan.js'
import { waitForScan } from './polling/wait-for-scan.js'
import { annotate } from './publish/annotations.js'
import { keepFindingsFile } from './publish/findings-file.js'
import { logPolicyEffects } from './publish/policy-log.js'
import { preloadArtifactClient, uploadArtifact } from './publish/artifact.js'
import type { RunOutcome } from './publish/outcome.js'
import { setOutputs } from './publish/outputs.js'
import { commentOnPullRequest } from './publish/pr-comment.js'
import { writeSarif } from './publish/sarif-file.js'
import { renderSummary } from './publish/summary.js'
import { SEVERITIES, type ScanReport } from './report/findings.js'
import { createJunitParser } from './report/junit.js'

/**
 * Start, wait, fetch, judge, publish. When `signal` aborts (the job is cancelled), the scan stops at
 * once, in-flight requests included, and what was learnt until then is published.
 */
export async function run(signal = new AbortController().signal): Promise<void> {
  const settings = await readSettings()
  if (!settings) return
  const outcome: RunOutcome = { result: 'error' }
  const learn = (facts: Partial<RunOutcome>): void => void (signal.aborted || Object.assign(outcome, facts))
  const client = new WebhookClient(settings.api, settings.requestTimeoutMs)
  const closeClient = (): void => client.close()
  signal.addEventListener('abort', closeClient)
  try {
    await untilAborted(scan(settings, client, learn, signal), signal)
  } catch (error) {
    learn({ result: 'error', message: errorMessage(error) })
  } finally {
    signal.removeEventListener('abort', closeClient)
    client.close()
  }
  await publish(settings, outcome, signal)
}

async function readSettings(): Promise<Settings | undefined> {
  core.startGroup('Inputs')
  try {
    const settings = await getSettings()
    const signed = settings.api.veracode ? '; requests signed with the Veracode API credentials' : ''
    core.info(`Webhook API: ${settings.api.baseUrl} (the webhook secret is masked${signed})`)
    core.info(
      settings.wait
        ? `Waiting up to ${formatDuration(settings.timeoutMs)}, polling every ${formatDuration(settings.pollIntervalMs)}; if a scan is already running: ${settings.ifRunning}; on time-out: ${settings.onTimeout}`
        : 'Starting the scan without waiting for it (wait: false)'
    )
    core.info(`Rules: ${describePolicy(settings.policy)}`)
    core.info(`Report: ${settings.reportPath}`)
    core.info(`Scan configuration: ${describeScanConfig(settings.scanConfig)}`)
    return settings
  } catch (error) {
    core.setOutput('result', 'error')
    core.setFailed(errorMessage(error))
    return undefined
  } finally {
    core.endGroup()
  }
}

async function scan(
  settings: Settings,
  client: WebhookClient,
  learn: (facts: Partial<RunOutcome>) => void,
  signal: AbortSignal
) {
  signal.throwIfAborted()
  const deadline = Date.now() + settings.timeoutMs
  const timeoutText = `the time-out of ${formatDuration(settings.timeoutMs)}`

  const started = await core.group('Start', async () => {
    const { tokenLogin } = settings.scanConfig
    const token = tokenLogin && (await fetchLoginToken(tokenLogin))
    const answer = await startScan(
      client,
      settings,
      deadline,
      buildStartPayload(settings.scanConfig, token),
      signal
    )
    if (answer.kind === 'started') core.info(`Scan ${answer.scanId} started.`)
    return answer
  })
  if (started.kind === 'timeout') {
    return learn({
      result: 'timeout',
      message: `Another scan of this target was still running after ${timeoutText}, so no scan was started.`
    })
  }
  learn({ scanId: started.scanId })
  if (!settings.wait) return learn({ result: 'started' })

  const waited = await core.group('Wait', () =>
    waitForScan(
      client,
      started.scanId,
      settings,
      deadline,
      statusCode => {
        learn({ statusCode })
        // Loaded while the action waits for the next poll, so that the upload at the end need not wait.
        if (settings.artifact.upload) preloadArtifactClient()
      },
      signal
    )
  )
  learn({ waitedMs: waited.waitedMs })
  if (waited.kind === 'timeout') {
    return learn({
      result: 'timeout',
      message: `Scan ${started.scanId} did not finish within ${timeoutText} (last status ${waited.statusCode ?? 'unknown'}). It goes on running on the service; its report can be downloaded from the Crashtest dashboard.`
    })
  }

  await core.group('Report', async () => {
    // Read as it downloads: one pass over the report, however large. Judged only once it is on disk.
    let parser = createJunitParser()
    const newReader = (): ((chunk: Buffer) => void) => {
      const fresh = (parser = createJunitParser())
      return chunk => void fresh.write(chunk)
    }
    await fetchReport(client, started.scanId, settings.reportPath, settings.pollIntervalMs, signal, newReader)
    learn({ reportPath: settings.reportPath })
    core.info(`Report of scan ${started.scanId} written to ${settings.reportPath}.`)
    let report: ScanReport
    try {
      report = parser.end()
    } catch (error) {
      throw new Error(`${errorMessage(error)}. The report is kept at ${settings.reportPath} for inspection.`)
    }
    learn({ report })
    core.info(
      `${report.testcases} testcases: ${report.findings.length} findings, ${report.scannerErrors.length} scanner errors, ${report.skippedChecks.length} skipped checks.`
    )
  })
}

async function publish(settings: Settings, outcome: RunOutcome, signal: AbortSignal): Promise<void> {
  // A cancelled run is an error whatever it found; the files it kept stay where they are.
  const noteCancellation = (): void => {
    if (signal.aborted)
      Object.assign(outcome, { result: 'error', message: describeCancellation(signal.reason, outcome) })
  }
  core.startGroup('Verdict')
  try {
    if (outcome.report) {
      const verdict = judge(outcome.report.findings, settings.policy, new Date())
      outcome.verdict = verdict
      outcome.result = verdict.passed ? 'passed' : 'failed'
      const counts = [...SEVERITIES, 'unknown' as const].map(s => `${verdict.counts[s]} ${s}`).join(', ')
      core.info(`Findings: ${counts}.`)
      logPolicyEffects(verdict, settings.policy)
      for (const violation of verdict.violations) core.info(`Broken: ${describeViolation(violation)}`)
      if (outcome.reportPath) {
        outcome.findingsPath = await keepFindingsFile(outcome.reportPath, outcome.report, verdict)
      }
    }
    noteCancellation()
    core.info(`Result: ${outcome.result}`)
  } finally {
    core.endGroup()
  }

  const { sarifPath, prComment } = settings.publishing
  if (outcome.report && sarifPath) outcome.sarifPath = await writeSarif(sarifPath, outcome.report.findings)
  // Files made from the report go into the artifact beside it.
  const keptFiles = [outcome.reportPath, outcome.findingsPath, outcome.sarifPath].filter(
    (file): file is string => Boolean(file)
  )
  if (keptFiles.length > 0 && outcome.scanId && settings.artifact.upload && !signal.aborted) {
    outcome.artifact = await untilAborted(keepAsArtifact(settings, outcome.scanId, keptFiles), signal).catch(
      () => undefined
    )
  }
  noteCancellation()
  setOutputs(outcome)
  if (settings.summary) {
    try {
      await core.summary.addRaw(renderSummary(outcome, settings.policy)).write()
    } catch (error) {
      core.warning(`Could not write the job summary: ${errorMessage(error)}`)
    }
  }
  if (prComment && signal.aborted) {
    core.info('The pull-request comment is left as it was: the job is being cancelled.')
  } else if (prComment) {
    await core.group('Pull request comment', () =>
      commentOnPullRequest(settings.publishing, outcome, settings.policy)
    )
  }
  if (settings.annotations && outcome.verdict && !outcome.verdict.passed) annotate(outcome.verdict)
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

async function keepAsArtifact(settings: Settings, scanId: string, files: string[]) {
  return core.group('Artifact', async () => {
    try {
      return await uploadArtifact(settings.artifact, scanId, files)
    } catch (error) {
      core.warning(
        `Could not upload the report as an artifact: ${errorMessage(error)}. It is still at ${files[0]}.`
      )
      return undefined
    }
  })
}
