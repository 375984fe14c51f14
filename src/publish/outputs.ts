import * as core from '@actions/core'
import { SEVERITIES } from '../report/findings.js'
import type { RunOutcome } from './outcome.js'

/** Sets every output the outcome knows, including on a failing step. */
export function setOutputs(outcome: RunOutcome): void {
  core.setOutput('result', outcome.result)
  if (outcome.scanId !== undefined) core.setOutput('scan-id', outcome.scanId)
  if (outcome.statusCode !== undefined) core.setOutput('status-code', String(outcome.statusCode))
  if (outcome.reportPath) core.setOutput('report-path', outcome.reportPath)
  if (outcome.artifact) core.setOutput('artifact-id', String(outcome.artifact.id))
  if (outcome.sarifPath) core.setOutput('sarif-path', outcome.sarifPath)
  if (outcome.report) {
    core.setOutput('findings', String(outcome.report.findings.length))
    for (const severity of SEVERITIES) {
      core.setOutput(severity, String(outcome.report.findings.filter(f => f.severity === severity).length))
    }
  }
  if (outcome.verdict) {
    core.setOutput('suppressed', String(outcome.verdict.suppressed.length))
    const fresh = outcome.verdict.baseline?.new ?? outcome.report?.findings ?? []
    core.setOutput('new-findings', String(fresh.length))
  }
}
