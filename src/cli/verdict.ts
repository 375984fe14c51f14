import { relative } from 'node:path'
import { describeViolation } from '../engine/policy/gate.js'
import { SEVERITIES, type Finding } from '../engine/report/findings.js'
import type { RunOutcome } from '../engine/run/outcome.js'
import type { Settings } from '../engine/settings/settings.js'
import * as azure from './ci/azure.js'
import type { CiSystem } from './ci/detect.js'
import * as teamcity from './ci/teamcity.js'
import type { Style } from './command-log.js'

/** Findings listed in the log when they break the rules; the report and the findings file have them all. */
export const LISTED_FINDINGS = 10

export interface Line {
  text: string
  style?: Style
}

/** The end of the log: the findings that broke the rules, the counts, and what the result means. */
export function verdictLines(outcome: RunOutcome, settings: Settings): Line[] {
  const lines: Line[] = []
  const breaking = outcome.verdict?.breaking ?? []
  if (breaking.length > 0) {
    lines.push({ text: 'Findings that broke the rules:' })
    for (const finding of breaking.slice(0, LISTED_FINDINGS))
      lines.push({ text: `- ${describeFinding(finding)}` })
    const more = breaking.length - LISTED_FINDINGS
    if (more > 0)
      lines.push({ text: `- … and ${more} more: the findings file and the report list them all.` })
  }
  if (outcome.report) {
    const counts = SEVERITIES.map(s => `${outcome.verdict?.counts[s] ?? 0} ${s}`).join(', ')
    lines.push({ text: `${outcome.report.findings.length} findings (${counts}).` })
  }
  for (const [label, path] of [
    ['Report', outcome.reportPath],
    ['Findings file', outcome.findingsPath],
    ['SARIF', outcome.sarifPath],
    ['GitLab report', outcome.gitlabReportPath]
  ] as const) {
    if (path) lines.push({ text: `${label}: ${path}` })
  }
  lines.push(conclusion(outcome, settings))
  return lines
}

function conclusion(outcome: RunOutcome, settings: Settings): Line {
  switch (outcome.result) {
    case 'passed':
      return { text: 'Passed: no rule was broken.', style: 'green' }
    case 'started':
      return { text: `Started scan ${outcome.scanId}; not waiting for it (--no-wait).`, style: 'green' }
    case 'failed':
      return { text: `Failed: the scan broke the rules: ${brokenRules(outcome)}.`, style: 'red' }
    case 'timeout':
      return {
        text: `Timed out: ${outcome.message ?? 'the scan did not finish in time.'}`,
        style: settings.onTimeout === 'warn' ? 'yellow' : 'red'
      }
    case 'error':
      return { text: `Error: ${outcome.message ?? 'the scan could not be completed.'}`, style: 'red' }
  }
}

function brokenRules(outcome: RunOutcome): string {
  return outcome.verdict?.violations.map(describeViolation).join('; ') ?? ''
}

function describeFinding(finding: Finding): string {
  const where = finding.url ? ` at ${finding.url}` : ''
  return `${finding.severity} ${finding.scanner}: ${finding.title}${where}`
}

/**
 * What the CI system reads from stdout: TeamCity's service messages (the report imported as tests, the
 * counts as statistics, a build problem for a broken rule, for each finding that broke one, and for a
 * run that could not complete); Azure Pipelines' issues for the verdict. Plain systems get nothing here.
 */
export function ciMessages(ci: CiSystem, outcome: RunOutcome, settings: Settings, cwd: string): string[] {
  if (ci === 'teamcity') return teamcityMessages(outcome, settings, cwd)
  if (ci === 'azure') return azureMessages(outcome, settings)
  return []
}

function teamcityMessages(outcome: RunOutcome, settings: Settings, cwd: string): string[] {
  const messages: string[] = []
  if (outcome.reportPath) messages.push(teamcity.importData('junit', relative(cwd, outcome.reportPath)))
  if (outcome.report) {
    const counts = outcome.verdict?.counts
    messages.push(teamcity.buildStatisticValue('crashtest.findings', outcome.report.findings.length))
    for (const severity of SEVERITIES) {
      messages.push(teamcity.buildStatisticValue(`crashtest.${severity}`, counts?.[severity] ?? 0))
    }
  }
  if (outcome.result === 'failed') {
    for (const violation of outcome.verdict?.violations ?? []) {
      messages.push(
        teamcity.buildProblem(
          `Crashtest DAST: ${describeViolation(violation)}`,
          `crashtest_${violation.rule}`
        )
      )
    }
    // One problem per finding, so that TeamCity tells a new finding from one the last build had too.
    for (const finding of outcome.verdict?.breaking.slice(0, LISTED_FINDINGS) ?? []) {
      messages.push(
        teamcity.buildProblem(
          `Crashtest DAST: ${describeFinding(finding)}`,
          `crashtest_${finding.fingerprint}`
        )
      )
    }
  } else if (outcome.result === 'error' || (outcome.result === 'timeout' && settings.onTimeout === 'fail')) {
    messages.push(
      teamcity.buildProblem(
        `Crashtest DAST: ${outcome.message ?? outcome.result}`,
        `crashtest_${outcome.result}`
      )
    )
  }
  return messages
}

function azureMessages(outcome: RunOutcome, settings: Settings): string[] {
  const { text } = conclusion(outcome, settings)
  switch (outcome.result) {
    case 'failed':
    case 'error':
      return [azure.logIssue('error', `Crashtest DAST: ${text}`)]
    case 'timeout':
      return [azure.logIssue(settings.onTimeout === 'warn' ? 'warning' : 'error', `Crashtest DAST: ${text}`)]
    default:
      return []
  }
}
