import { SEVERITIES } from '../report/findings.js'
import type { RunOutcome, TargetOutcome } from './outcome.js'

export interface OutputDefinition {
  name: string
  description: string
  /** Set by one front end only. */
  only?: 'action' | 'command'
}

/** What a run tells: the action's outputs and the keys of the command's `--json` object. */
export const OUTPUTS: readonly OutputDefinition[] = [
  {
    name: 'scan-id',
    description:
      'The id of the scan the service started (or that `scan-id` followed); with several targets, one `NAME: ID` a line, as `scan-id` takes them.'
  },
  { name: 'result', description: '`passed`, `failed`, `error`, `timeout` or `started`.' },
  {
    name: 'status-code',
    description: 'The last status code the service reported for the scan (one target only).'
  },
  {
    name: 'report-path',
    description: 'Absolute path of the JUnit report on disk; with several targets, one path a line.'
  },
  {
    name: 'testcases',
    description:
      'Number of testcases in the report (all targets): every check the scan ran. `0` means the scan checked nothing.'
  },
  { name: 'findings', description: 'Number of findings (all severities, all targets).' },
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
    name: 'fixed',
    description:
      'With a baseline: number of its findings this scan no longer reports (each fingerprint once).'
  },
  {
    name: 'baseline-run-id',
    description:
      'With `baseline: auto`: the id of the earlier workflow run whose report was the baseline (with several targets, one `NAME: ID` a line); empty with a baseline file.',
    only: 'action'
  },
  { name: 'issues-opened', description: 'With `issues: true`: issues opened by this run.', only: 'action' },
  { name: 'issues-closed', description: 'With `issues: true`: issues closed by this run.', only: 'action' },
  {
    name: 'issues-reopened',
    description: 'With `issues: true`: issues this run reopened, their findings found again.',
    only: 'action'
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
  },
  {
    name: 'targets',
    description:
      'A JSON array with one object per target: `name`, `scan-id`, `result`, `report-path` and its counts (`findings`, `critical` … `info`, `suppressed`, `new-findings`).'
  }
]

export type OutputValue = string | number | TargetOutputs[]

/** A target's part of the `targets` output. */
export type TargetOutputs = Record<string, string | number>

/**
 * Every output the outcome knows, numbers as numbers; what is not known is left out. With several
 * targets, counts are summed, `scan-id` holds one `NAME: ID` line per target (what `scan-id` takes to
 * follow them), `report-path` one path a line, and `targets` each target's own.
 */
export function outputValues(run: RunOutcome): Record<string, OutputValue> {
  const values: Record<string, OutputValue> = { result: run.result }
  const [only] = run.targets
  const several = run.targets.length > 1
  const started = run.targets.filter(target => target.scanId !== undefined)
  if (started.length > 0) {
    values['scan-id'] = several ? started.map(t => `${t.name}: ${t.scanId}`).join('\n') : (only?.scanId ?? '')
  }
  if (!several && only?.statusCode !== undefined) values['status-code'] = only.statusCode
  const kept = run.targets.filter(target => target.reportPath)
  if (kept.length > 0) values['report-path'] = kept.map(target => target.reportPath).join('\n')
  Object.assign(values, counts(run.targets))
  const compared = run.targets.filter(target => target.verdict?.baseline)
  if (compared.length > 0) {
    const runs = compared.map(target => ({ name: target.name, id: target.verdict?.baseline?.since.run?.id }))
    values['baseline-run-id'] = several
      ? runs.flatMap(({ name, id }) => (id ? [`${name}: ${id}`] : [])).join('\n')
      : (runs[0]?.id ?? '')
  }
  if (run.sarifPath) values['sarif-path'] = run.sarifPath
  if (run.gitlabReportPath) values['gitlab-report-path'] = run.gitlabReportPath
  values.targets = run.targets.map(target => ({
    name: target.name,
    ...(target.scanId !== undefined && { 'scan-id': target.scanId }),
    result: target.result,
    ...(target.reportPath && { 'report-path': target.reportPath }),
    ...counts([target])
  }))
  return values
}

/** The counts of the targets whose report was read, summed; none when no report was read. */
function counts(targets: readonly TargetOutcome[]): Record<string, number> {
  const read = targets.filter(target => target.report)
  if (read.length === 0) return {}
  const findings = read.flatMap(target => target.report?.findings ?? [])
  const values: Record<string, number> = {
    testcases: read.reduce((sum, target) => sum + (target.report?.testcases ?? 0), 0),
    findings: findings.length
  }
  for (const severity of SEVERITIES) values[severity] = findings.filter(f => f.severity === severity).length
  const judged = read.filter(target => target.verdict)
  if (judged.length > 0) {
    values.suppressed = judged.reduce((sum, t) => sum + (t.verdict?.suppressed.length ?? 0), 0)
    values['new-findings'] = judged.reduce(
      (sum, t) => sum + (t.verdict?.baseline?.new ?? t.report?.findings ?? []).length,
      0
    )
    const compared = judged.filter(target => target.verdict?.baseline)
    if (compared.length > 0) {
      values.fixed = compared.reduce((sum, t) => sum + (t.verdict?.baseline?.fixed.length ?? 0), 0)
    }
  }
  return values
}
