import { errorMessage, errorClause } from '../api/errors.js'
import { fetchLoginToken } from '../api/login.js'
import { buildStartPayload } from '../api/start-payload.js'
import { WebhookClient } from '../api/webhook-client.js'
import { findingsFilePath, renderFindingsFile } from '../files/findings-file.js'
import { renderGitlabReportText } from '../files/gitlab-report.js'
import { keepFile } from '../files/keep-file.js'
import { renderSarifRunsText } from '../files/sarif.js'
import { formatDuration } from '../log/durations.js'
import type { RunLog } from '../log/run-log.js'
import { describePolicy, describeViolation, judge, policyFor } from '../policy/gate.js'
import { SEVERITIES, type ScanReport } from '../report/findings.js'
import { createJunitParser } from '../report/junit.js'
import { fetchReport } from '../scan/fetch-report.js'
import type { ScanStep } from '../scan/scan-step.js'
import { startScan } from '../scan/start-scan.js'
import { waitForScan } from '../scan/wait-for-scan.js'
import { describeScanConfig } from '../settings/scan-config.js'
import type { Settings } from '../settings/settings.js'
import type { Target } from '../settings/targets.js'
import { noteCancellation, untilAborted } from './cancellation.js'
import { worstResult, type RunOutcome, type TargetOutcome } from './outcome.js'
import { logPolicyEffects } from './policy-log.js'

/** Why a report without a testcase deserves a warning, though the rules pass it. */
export const NO_CHECKS =
  'The report has no testcase: the scan checked nothing, so its verdict proves nothing. That usually means the target was unreachable from the service (down, behind a firewall, or only reachable inside your network) or the scan was stopped. Check the scan in the Crashtest dashboard.'

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
  const signed = settings.targets.some(target => target.api.veracode)
    ? '; requests signed with the Veracode API credentials'
    : ''
  for (const target of settings.targets) {
    const which = settings.targets.length > 1 ? `${target.name}: ` : ''
    const follow = target.scanId === undefined ? '' : `, following scan ${target.scanId}`
    log.info(
      `${which}Webhook API ${target.api.baseUrl} (the webhook secret is hidden${signed})${follow}; report ${target.reportPath}`
    )
  }
  if (settings.targets.length > 1) {
    log.info(`${settings.targets.length} targets, at most ${settings.maxParallel} scanned at once`)
  }
  log.info(
    settings.wait
      ? `Waiting up to ${formatDuration(settings.timeoutMs)}, polling every ${formatDuration(settings.pollIntervalMs)}; if a scan is already running: ${settings.ifRunning}; on time-out: ${settings.onTimeout}`
      : `Starting the scan without waiting for it (${log.option('wait', 'false')})`
  )
  log.info(`Rules: ${describePolicy(settings.policy)}`)
  log.info(`Scan configuration: ${describeScanConfig(settings.scanConfig)}`)
}

/**
 * Every target's scan, side by side (at most `maxParallel` at once), then the files made from all their
 * reports. Never throws: whatever happens ends up in the outcome, with a message that says what to do.
 * A target that fails never stops the others from being waited on and judged.
 */
export async function runScans(
  settings: Settings,
  log: RunLog,
  options: RunOptions = {}
): Promise<RunOutcome> {
  const startedAt = new Date()
  const several = settings.targets.length > 1
  const login = once(async (targetLog: RunLog) => {
    const { tokenLogin } = settings.scanConfig
    return tokenLogin && (await fetchLoginToken(tokenLogin, targetLog))
  })
  const targets = await inBatches(settings.targets, settings.maxParallel, target =>
    runTarget(settings, target, several ? targetLog(log, target.name) : log, login, options)
  )
  const run: RunOutcome = { result: worstResult(targets.map(target => target.result)), targets }
  if (several) log.info(`Result: ${run.result} (${targets.map(t => `${t.name} ${t.result}`).join(', ')})`)
  await keepRunFiles(settings, log, run, { ...options, startedAt })
  return run
}

/**
 * Start (or follow), wait, fetch, judge: the whole scan of one target. The report is on disk before
 * anything is judged, and stays there whatever the result.
 */
async function runTarget(
  settings: Settings,
  target: Target,
  log: RunLog,
  login: (log: RunLog) => Promise<string | undefined>,
  options: RunOptions
): Promise<TargetOutcome> {
  const signal = options.signal ?? new AbortController().signal
  const outcome: TargetOutcome = { name: target.name, result: 'error' }
  const learn = (facts: Partial<TargetOutcome>): void => {
    // Once the run is aborted, nothing a request still in flight learns changes the outcome.
    if (!signal.aborted) Object.assign(outcome, facts)
  }
  const client = new WebhookClient(target.api, settings.requestTimeoutMs, log)
  const step: ScanStep = { client, log, settings, deadline: Date.now() + settings.timeoutMs, signal }
  const closeClient = (): void => client.close()
  signal.addEventListener('abort', closeClient)
  try {
    await untilAborted(scan({ step, target, login, learn }), signal)
  } catch (error) {
    learn({ result: 'error', message: errorMessage(error) })
  } finally {
    signal.removeEventListener('abort', closeClient)
    client.close()
  }
  await log.section('Verdict', async () => {
    if (outcome.report) await judgeReport(settings, log, outcome, outcome.report)
    noteCancellation(outcome, signal)
    log.info(`Result: ${outcome.result}`)
  })
  return outcome
}

/** One target's scan, and what it needs beyond the steps' context. */
interface TargetScan {
  step: ScanStep
  target: Target
  /** The login flow's token, fetched once for every target. */
  login: (log: RunLog) => Promise<string | undefined>
  /** Records what the scan has learnt so far in the target's outcome. */
  learn: (facts: Partial<TargetOutcome>) => void
}

async function scan({ step, target, login, learn }: TargetScan): Promise<void> {
  const { log, settings } = step
  step.signal.throwIfAborted()
  const timeoutText = `the time-out of ${formatDuration(settings.timeoutMs)}`

  const started = await log.section('Start', async () => {
    if (target.scanId !== undefined) {
      log.info(`Following scan ${target.scanId}, started earlier: no scan is started.`)
      return { kind: 'started', scanId: target.scanId } as const
    }
    const payload = buildStartPayload(settings.scanConfig, await login(log))
    const answer = await startScan(step, payload)
    if (answer.kind === 'started') log.info(`Scan ${answer.scanId} started.`)
    return answer
  })
  if (started.kind === 'timeout') {
    learn({
      result: 'timeout',
      message: `Another scan of this target was still running after ${timeoutText}, so no scan was started.`
    })
    return
  }
  learn({ scanId: started.scanId })
  if (!settings.wait) {
    learn({ result: 'started' })
    return
  }

  const waited = await log.section('Wait', () =>
    waitForScan(step, started.scanId, statusCode => learn({ statusCode }))
  )
  learn({ waitedMs: waited.waitedMs })
  if (waited.kind === 'timeout') {
    learn({
      result: 'timeout',
      message: `Scan ${started.scanId} did not finish within ${timeoutText} (last status ${waited.statusCode ?? 'unknown'}). It goes on running on the service; its report can be downloaded from the Crashtest dashboard.`
    })
    return
  }

  await log.section('Report', async () => {
    // Read as it downloads: one pass over the report, however large. Judged only once it is on disk.
    const { reportPath } = target
    const parser = await fetchReport(step, started.scanId, reportPath, createJunitParser)
    learn({ reportPath })
    log.info(`Report of scan ${started.scanId} written to ${reportPath}.`)
    let report: ScanReport
    try {
      report = parser.end()
    } catch (error) {
      throw new Error(`${errorClause(error)}. The report is kept at ${reportPath} for inspection.`)
    }
    learn({ report })
    log.info(
      `${report.testcases} testcases: ${report.findings.length} findings, ${report.scannerErrors.length} scanner errors, ${report.skippedChecks.length} skipped checks.`
    )
    if (report.testcases === 0) log.warning(NO_CHECKS, 'Crashtest: the scan checked nothing')
  })
}

/** Judges the report by the rules, and keeps every finding with its fingerprint beside the report. */
async function judgeReport(
  settings: Settings,
  log: RunLog,
  outcome: TargetOutcome,
  report: ScanReport
): Promise<void> {
  const policy = policyFor(settings.policy, outcome.name)
  const verdict = judge({ findings: report.findings, policy, scanners: report.scanners })
  outcome.verdict = verdict
  outcome.result = verdict.passed ? 'passed' : 'failed'
  const counts = [...SEVERITIES, 'unknown' as const].map(s => `${verdict.counts[s]} ${s}`).join(', ')
  log.info(`Findings: ${counts}.`)
  logPolicyEffects(log, verdict, policy)
  for (const violation of verdict.violations) log.info(`Broken: ${describeViolation(violation)}`)
  if (outcome.reportPath) {
    const file = { name: 'the findings file', contents: 'Every finding with its fingerprint' }
    const pieces = renderFindingsFile(report, verdict)
    outcome.findingsPath = await keepFile(log, file, findingsFilePath(outcome.reportPath), pieces)
  }
}

/** The files made from every target's report: one SARIF log (a run per target), one GitLab report. */
async function keepRunFiles(
  settings: Settings,
  log: RunLog,
  run: RunOutcome,
  options: RunOptions & { startedAt: Date }
): Promise<void> {
  const read = run.targets.filter(target => target.report)
  if (read.length === 0) return
  const findings = read.flatMap(target => target.report?.findings ?? [])
  const several = settings.targets.length > 1
  if (settings.sarifPath) {
    const runs = read.map(target => ({
      findings: target.report?.findings ?? [],
      automationId: several ? `crashtest-dast/${target.name}/` : undefined
    }))
    const pieces = renderSarifRunsText(runs, { fallbackUri: options.sarifFallbackUri })
    const file = { name: 'the SARIF file', contents: `SARIF log of ${findings.length} findings` }
    run.sarifPath = await keepFile(log, file, settings.sarifPath, pieces)
  }
  if (settings.gitlabReportPath) {
    const pieces = renderGitlabReportText(findings, {
      startedAt: options.startedAt,
      endedAt: new Date(),
      status: 'success',
      toolVersion: options.toolVersion ?? '0.0.0'
    })
    const file = { name: 'the GitLab report', contents: `GitLab DAST report of ${findings.length} findings` }
    run.gitlabReportPath = await keepFile(log, file, settings.gitlabReportPath, pieces)
  }
}

/** Each target's lines, prefixed with its name; its sections are lines too, as targets run side by side. */
function targetLog(log: RunLog, name: string): RunLog {
  const prefixed = (message: string): string => `[${name}] ${message}`
  return {
    info: message => log.info(prefixed(message)),
    progress: message => log.progress(prefixed(message)),
    warning: (message, title) => log.warning(prefixed(message), title),
    section: (_section, work) => work(),
    secret: value => log.secret(value),
    option: (option, value) => log.option(option, value)
  }
}

/** `work` for every item, at most `limit` at a time, the results in the items' order. */
async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** `work` done the first time it is asked for; later calls share that one result. */
function once<A, R>(work: (argument: A) => Promise<R>): (argument: A) => Promise<R> {
  let result: Promise<R> | undefined
  return argument => (result ??= work(argument))
}
