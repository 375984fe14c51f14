import { errorMessage } from '../api/errors.js'
import { fetchLoginToken } from '../api/login.js'
import { buildStartPayload } from '../api/start-payload.js'
import { WebhookClient } from '../api/webhook-client.js'
import { findingsFilePath, renderFindingsFile } from '../files/findings-file.js'
import { renderGitlabReportText } from '../files/gitlab-report.js'
import { keepFile } from '../files/keep-file.js'
import { renderSarifText } from '../files/sarif.js'
import { formatDuration } from '../log/durations.js'
import type { RunLog } from '../log/run-log.js'
import { describePolicy, describeViolation, judge } from '../policy/gate.js'
import { SEVERITIES, type ScanReport } from '../report/findings.js'
import { createJunitParser } from '../report/junit.js'
import { fetchReport } from '../scan/fetch-report.js'
import { startScan } from '../scan/start-scan.js'
import { waitForScan } from '../scan/wait-for-scan.js'
import { describeScanConfig } from '../settings/scan-config.js'
import type { Settings } from '../settings/settings.js'
import { noteCancellation, untilAborted } from './cancellation.js'
import type { RunOutcome } from './outcome.js'
import { logPolicyEffects } from './policy-log.js'

export interface RunOptions {
  /** Aborts the run (the job is cancelled, Ctrl-C): it stops at once, in-flight requests included. */
  signal?: AbortSignal
  /** Where SARIF results without a URL are located (code scanning needs a file of the repository). */
  sarifFallbackUri?: string
  /** The name and version the GitLab report gives as its scanner. */
  toolVersion?: string
}

/** What the settings say the run will do, for the top of the log. */
export function describeSettings(log: RunLog, settings: Settings): void {
  const signed = settings.api.veracode ? '; requests signed with the Veracode API credentials' : ''
  log.info(`Webhook API: ${settings.api.baseUrl} (the webhook secret is hidden${signed})`)
  log.info(
    settings.wait
      ? `Waiting up to ${formatDuration(settings.timeoutMs)}, polling every ${formatDuration(settings.pollIntervalMs)}; if a scan is already running: ${settings.ifRunning}; on time-out: ${settings.onTimeout}`
      : 'Starting the scan without waiting for it (wait: false)'
  )
  log.info(`Rules: ${describePolicy(settings.policy)}`)
  log.info(`Report: ${settings.reportPath}`)
  log.info(`Scan configuration: ${describeScanConfig(settings.scanConfig)}`)
}

/**
 * Start, wait, fetch, judge: the whole scan of one target, and the files made from its report. Never
 * throws: whatever happens ends up in the outcome, with a message that says what to do. The report is
 * on disk before anything is judged, and stays there whatever the result.
 */
export async function runScan(
  settings: Settings,
  log: RunLog,
  options: RunOptions = {}
): Promise<RunOutcome> {
  const signal = options.signal ?? new AbortController().signal
  const startedAt = new Date()
  const outcome: RunOutcome = { result: 'error' }
  // Once the run is aborted, nothing a request still in flight learns changes the outcome.
  const learn = (facts: Partial<RunOutcome>): void => void (signal.aborted || Object.assign(outcome, facts))
  const client = new WebhookClient(settings.api, settings.requestTimeoutMs)
  const closeClient = (): void => client.close()
  signal.addEventListener('abort', closeClient)
  try {
    await untilAborted(scan(settings, client, log, learn, signal), signal)
  } catch (error) {
    learn({ result: 'error', message: errorMessage(error) })
  } finally {
    signal.removeEventListener('abort', closeClient)
    client.close()
  }
  await log.section('Verdict', async () => {
    if (outcome.report) await judgeReport(settings, log, outcome, outcome.report, { ...options, startedAt })
    noteCancellation(outcome, signal)
    log.info(`Result: ${outcome.result}`)
  })
  return outcome
}

async function scan(
  settings: Settings,
  client: WebhookClient,
  log: RunLog,
  learn: (facts: Partial<RunOutcome>) => void,
  signal: AbortSignal
): Promise<void> {
  signal.throwIfAborted()
  const deadline = Date.now() + settings.timeoutMs
  const timeoutText = `the time-out of ${formatDuration(settings.timeoutMs)}`

  const started = await log.section('Start', async () => {
    const { tokenLogin } = settings.scanConfig
    const token = tokenLogin && (await fetchLoginToken(tokenLogin, log))
    const payload = buildStartPayload(settings.scanConfig, token)
    const answer = await startScan(client, log, settings, deadline, payload, signal)
    if (answer.kind === 'started') log.info(`Scan ${answer.scanId} started.`)
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

  const waited = await log.section('Wait', () =>
    waitForScan(client, log, started.scanId, settings, deadline, statusCode => learn({ statusCode }), signal)
  )
  learn({ waitedMs: waited.waitedMs })
  if (waited.kind === 'timeout') {
    return learn({
      result: 'timeout',
      message: `Scan ${started.scanId} did not finish within ${timeoutText} (last status ${waited.statusCode ?? 'unknown'}). It goes on running on the service; its report can be downloaded from the Crashtest dashboard.`
    })
  }

  await log.section('Report', async () => {
    // Read as it downloads: one pass over the report, however large. Judged only once it is on disk.
    let parser = createJunitParser()
    const newReader = (): ((chunk: Buffer) => void) => {
      const fresh = (parser = createJunitParser())
      return chunk => void fresh.write(chunk)
    }
    const { reportPath, pollIntervalMs } = settings
    await fetchReport(client, log, started.scanId, reportPath, pollIntervalMs, signal, newReader)
    learn({ reportPath })
    log.info(`Report of scan ${started.scanId} written to ${reportPath}.`)
    let report: ScanReport
    try {
      report = parser.end()
    } catch (error) {
      throw new Error(`${errorMessage(error)}. The report is kept at ${reportPath} for inspection.`)
    }
    learn({ report })
    log.info(
      `${report.testcases} testcases: ${report.findings.length} findings, ${report.scannerErrors.length} scanner errors, ${report.skippedChecks.length} skipped checks.`
    )
  })
}

/** Judges the report by the rules, then writes the files made from it beside the verdict. */
async function judgeReport(
  settings: Settings,
  log: RunLog,
  outcome: RunOutcome,
  report: ScanReport,
  options: RunOptions & { startedAt: Date }
): Promise<void> {
  const verdict = judge(report.findings, settings.policy, new Date())
  outcome.verdict = verdict
  outcome.result = verdict.passed ? 'passed' : 'failed'
  const counts = [...SEVERITIES, 'unknown' as const].map(s => `${verdict.counts[s]} ${s}`).join(', ')
  log.info(`Findings: ${counts}.`)
  logPolicyEffects(log, verdict, settings.policy)
  for (const violation of verdict.violations) log.info(`Broken: ${describeViolation(violation)}`)

  if (outcome.reportPath) {
    const path = findingsFilePath(outcome.reportPath)
    const pieces = renderFindingsFile(report, verdict)
    const file = { name: 'the findings file', contents: 'Every finding with its fingerprint' }
    outcome.findingsPath = await keepFile(log, file, path, pieces)
  }
  if (settings.sarifPath) {
    const pieces = renderSarifText(report.findings, { fallbackUri: options.sarifFallbackUri })
    const file = { name: 'the SARIF file', contents: `SARIF log of ${report.findings.length} findings` }
    outcome.sarifPath = await keepFile(log, file, settings.sarifPath, pieces)
  }
  if (settings.gitlabReportPath) {
    const pieces = renderGitlabReportText(report.findings, {
      startedAt: options.startedAt,
      endedAt: new Date(),
      status: 'success',
      toolVersion: options.toolVersion ?? '0.0.0'
    })
    const file = {
      name: 'the GitLab report',
      contents: `GitLab DAST report of ${report.findings.length} findings`
    }
    outcome.gitlabReportPath = await keepFile(log, file, settings.gitlabReportPath, pieces)
  }
}
