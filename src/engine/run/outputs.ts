import { SEVERITIES } from '../report/findings.js'
import type { RunOutcome } from './outcome.js'

export interface OutputDefinition {
  name: string
  description: string
  /** Set by one front end only. */
  only?: 'action' | 'command'
}

/** What a run tells: the action's outputs and the keys of the command's `--json` object. */
export const OUTPUTS: readonly OutputDefinition[] = [
  { name: 'scan-id', description: 'The id of the scan the service started.' },
  { name: 'result', description: '`passed`, `failed`, `error`, `timeout` or `started`.' },
  { name: 'status-code', description: 'The last status code the service reported for the scan.' },
  { name: 'report-path', description: 'Absolute path of the JUnit report on disk.' },
  { name: 'findings', description: 'Number of findings (all severities).' },
  ...SEVERITIES.map(severity => ({
    name: severity,
    description: severity === 'info' ? 'Number of informational findings.' : `Number of ${severity} findings.`
  })),
  { name: 'artifact-id', description: 'Id of the uploaded report artifact.', only: 'action' },
  {
    name: 'suppressed',
    description: 'Number of findings accepted by the suppressions file (not judged by the rules).'
  },
  {
    name: 'new-findings',
    description:
      'Number of findings whose fingerprint is not in the baseline (all findings without a baseline).'
  },
  {
    name: 'sarif-path',
    description: 'Absolute path of the SARIF file, when `sarif-path` was given and the report was read.'
  },
  {
    name: 'gitlab-report-path',
    description:
      'Absolute path of the GitLab DAST report, when `gitlab-report` was given and the report was read.',
    only: 'command'
  }
]

/** Every output the outcome knows, numbers as numbers; what is not known is left out. */
export function outputValues(outcome: RunOutcome): Record<string, string | number> {
  const values: Record<string, string | number> = { result: outcome.result }
  if (outcome.scanId !== undefined) values['scan-id'] = outcome.scanId
  if (outcome.statusCode !== undefined) values['status-code'] = outcome.statusCode
  if (outcome.reportPath) values['report-path'] = outcome.reportPath
  if (outcome.report) {
    const { findings } = outcome.report
    values.findings = findings.length
    for (const severity of SEVERITIES) values[severity] = findings.filter(f => f.severity === severity).length
  }
  if (outcome.verdict) {
    values.suppressed = outcome.verdict.suppressed.length
    values['new-findings'] = (outcome.verdict.baseline?.new ?? outcome.report?.findings ?? []).length
  }
  if (outcome.sarifPath) values['sarif-path'] = outcome.sarifPath
  if (outcome.gitlabReportPath) values['gitlab-report-path'] = outcome.gitlabReportPath
  return values
}
