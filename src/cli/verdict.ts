import { describeViolation } from '../engine/policy/gate.js'
import { SEVERITIES, type Finding } from '../engine/report/findings.js'
import { conclusionOf, type Result, type RunOutcome, type TargetOutcome } from '../engine/run/outcome.js'
import type { Settings } from '../engine/settings/settings.js'
import * as azure from './ci/azure.js'
import type { CiSystem } from './ci/detect.js'
import * as teamcity from './ci/teamcity.js'
import type { Style } from './command-log.js'

/** Findings listed in the log when they break the rules; the report and the findings file have them all. */
export const LISTED_FINDINGS = 10

/** What the command publishes: the engine's outcome, and the files the command writes itself. */
export type CommandOutcome = RunOutcome & {
  /** Set once the judged JUnit file is on disk. */
  junitPath?: string
}

export interface Line {
  text: string
  style?: Style
}

/**
 * The end of the log: for each target the findings that broke the rules, the counts and the files; then
 * what the result means. With several targets, each target's lines carry its name.
 */
export function verdictLines(run: CommandOutcome, settings: Settings): Line[] {
  const several = run.targets.length > 1
  const lines: Line[] = []
  for (const target of run.targets) {
    const about = (text: string): string => (several ? `[${target.name}] ${text}` : text)
    const breaking = target.verdict?.breaking ?? []
    if (breaking.length > 0) {
      lines.push({ text: about('Findings that broke the rules:') })
      for (const finding of breaking.slice(0, LISTED_FINDINGS)) {
        const rules = target.verdict?.rulesBrokenBy.get(finding) ?? []
        lines.push({ text: about(`- ${describeFinding(finding)} (${rules.join(', ')})`) })
      }
      const more = breaking.length - LISTED_FINDINGS
      if (more > 0)
        lines.push({ text: about(`- … and ${more} more: the findings file and the report list them all.`) })
    }
    if (target.report) {
      const counts = SEVERITIES.map(s => `${target.verdict?.counts[s] ?? 0} ${s}`).join(', ')
      lines.push({ text: about(`${target.report.findings.length} findings (${counts}).`) })
    }
    if (target.reportPath) lines.push({ text: about(`Report: ${target.reportPath}`) })
    if (target.findingsPath) lines.push({ text: about(`Findings file: ${target.findingsPath}`) })
    const pickUp = pickUpLine(target, several)
    if (pickUp) lines.push({ text: about(pickUp) })
    if (several) lines.push(targetConclusion(target, settings, about))
  }
  if (run.sarifPath) lines.push({ text: `SARIF: ${run.sarifPath}` })
  if (run.gitlabReportPath) lines.push({ text: `GitLab report: ${run.gitlabReportPath}` })
  if (run.junitPath)
    lines.push({ text: `JUnit report judged by the rules, for the CI system: ${run.junitPath}` })
  lines.push(several ? runConclusion(run, settings) : targetConclusion(run.targets[0]!, settings))
  return lines
}

function targetConclusion(target: TargetOutcome, settings: Settings, about = (text: string) => text): Line {
  const line = (text: string, style: Style): Line => ({ text: about(text), style })
  switch (target.result) {
    case 'passed':
      return line('Passed: no rule was broken.', 'green')
    case 'started':
      return line(`Started scan ${target.scanId}; not waiting for it (--no-wait).`, 'green')
    case 'failed':
      return line(`Failed: the scan broke the rules: ${brokenRules(target)}.`, 'red')
    case 'timeout':
      return line(
        `Timed out: ${target.message ?? 'the scan did not finish in time.'}`,
        styleOf(target.result, settings)
      )
    case 'error':
      return line(`Error: ${target.message ?? 'the scan could not be completed.'}`, 'red')
  }
}

function runConclusion(run: RunOutcome, settings: Settings): Line {
  const which = (result: string): string =>
    run.targets
      .filter(target => target.result === result)
      .map(target => target.name)
      .join(', ')
  switch (run.result) {
    case 'passed':
      return { text: `Passed: no target broke a rule.`, style: 'green' }
    case 'started':
      return { text: `Started every target's scan; not waiting for them (--no-wait).`, style: 'green' }
    case 'failed':
      return { text: `Failed: ${which('failed')} broke the rules.`, style: 'red' }
    case 'timeout':
      return {
        text: `Timed out: ${which('timeout')} did not finish in time.`,
        style: styleOf(run.result, settings)
      }
    case 'error':
      return { text: `Error: ${which('error')} could not be completed.`, style: 'red' }
  }
}

/**
 * How to pick up a scan that was started but whose report was not read (a time-out, a cancelled run, a
 * report that could not be downloaded): it goes on running on the service.
 */
function pickUpLine(target: TargetOutcome, several: boolean): string | undefined {
  if (
    target.scanId === undefined ||
    target.report ||
    (target.result !== 'timeout' && target.result !== 'error')
  )
    return undefined
  const id = several ? `'${target.name}: ${target.scanId}'` : target.scanId
  return `To pick scan ${target.scanId} up later, without starting another: crashtest-dast scan --scan-id ${id}`
}

function styleOf(result: Result, settings: Settings): Style {
  return conclusionOf(result, settings.onTimeout) === 'warn' ? 'yellow' : 'red'
}

function brokenRules(target: TargetOutcome): string {
  return target.verdict?.violations.map(describeViolation).join('; ') ?? ''
}

function describeFinding(finding: Finding): string {
  const where = finding.url ? ` at ${finding.url}` : ''
  return `${finding.severity} ${finding.scanner}: ${finding.title}${where}`
}

/**
 * What the CI system reads from stdout: TeamCity's service messages (the reports imported as tests, the
 * counts as statistics, a build problem for a broken rule, for each finding that broke one, and for a
 * scan that could not complete); Azure Pipelines' issues for the verdict. Plain systems get nothing here.
 */
export function ciMessages(ci: CiSystem, run: CommandOutcome, settings: Settings): string[] {
  if (ci === 'teamcity') return teamcityMessages(run, settings)
  if (ci === 'azure') return azureMessages(run, settings)
  return []
}

function teamcityMessages(run: CommandOutcome, settings: Settings): string[] {
  const messages: string[] = []
  const several = run.targets.length > 1
  // The judged report, not the service's (where every finding fails the import's tests), by its absolute
  // path: TeamCity reads a relative one from the checkout directory, not the step's.
  if (run.junitPath) messages.push(teamcity.importData('junit', run.junitPath))
  const read = run.targets.filter(target => target.report)
  if (read.length > 0) {
    const sum = (count: (target: TargetOutcome) => number): number =>
      read.reduce((total, t) => total + count(t), 0)
    messages.push(
      teamcity.buildStatisticValue(
        'crashtest.findings',
        sum(t => t.report?.findings.length ?? 0)
      )
    )
    for (const severity of SEVERITIES) {
      messages.push(
        teamcity.buildStatisticValue(
          `crashtest.${severity}`,
          sum(t => t.verdict?.counts[severity] ?? 0)
        )
      )
    }
  }
  for (const target of run.targets) {
    const prefix = `Crashtest DAST${several ? ` (${target.name})` : ''}`
    const identity = (what: string): string => `crashtest_${several ? `${target.name}_` : ''}${what}`
    if (target.result === 'failed') {
      for (const violation of target.verdict?.violations ?? []) {
        messages.push(
          teamcity.buildProblem(`${prefix}: ${describeViolation(violation)}`, identity(violation.rule))
        )
      }
      // One problem per finding, so that TeamCity tells a new finding from one the last build had too.
      for (const finding of target.verdict?.breaking.slice(0, LISTED_FINDINGS) ?? []) {
        messages.push(
          teamcity.buildProblem(`${prefix}: ${describeFinding(finding)}`, identity(finding.fingerprint))
        )
      }
    } else if (conclusionOf(target.result, settings.onTimeout) === 'fail') {
      messages.push(
        teamcity.buildProblem(`${prefix}: ${target.message ?? target.result}`, identity(target.result))
      )
    }
  }
  return messages
}

function azureMessages(run: RunOutcome, settings: Settings): string[] {
  const several = run.targets.length > 1
  return run.targets.flatMap(target => {
    const { text } = targetConclusion(target, settings, text => (several ? `${target.name}: ${text}` : text))
    const issue = (type: 'error' | 'warning'): string[] => [azure.logIssue(type, `Crashtest DAST: ${text}`)]
    switch (conclusionOf(target.result, settings.onTimeout)) {
      case 'fail':
        return issue('error')
      case 'warn':
        return issue('warning')
      case 'pass':
        return []
    }
  })
}
