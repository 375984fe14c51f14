import type { KnownSeverity } from '../report/findings.js'

export type FailOn = KnownSeverity | 'never'

export interface ApiSettings {
  /** Base URL of the webhook API, without a trailing slash. */
  baseUrl: string
  /** The webhook secret: a credential, masked as soon as it is read. */
  webhook: string
}

export interface PolicySettings {
  failOn: FailOn
  /** Per-severity budgets: the step fails when a count exceeds its budget. */
  maxFindings: Partial<Record<KnownSeverity, number>>
}

export interface ArtifactSettings {
  upload: boolean
  /** Explicit name; when absent the name is `crashtest-report-<scan id>`. */
  name?: string
  retentionDays?: number
}

export interface PublishingSettings {
  /** Absolute path of the SARIF file to write; none when not asked for. */
  sarifPath?: string
  /** Comment on the pull request (pull_request events only). */
  prComment: boolean
  /** Token for the pull-request comment: a credential, masked as soon as it is read. */
  githubToken: string
  /** Tells apart the comments of several scans in one pull request (for example a matrix value). */
  prCommentKey: string
}

export interface Settings {
  api: ApiSettings
  wait: boolean
  timeoutMs: number
  pollIntervalMs: number
  ifRunning: 'wait' | 'fail'
  onTimeout: 'fail' | 'warn'
  /** Absolute path of the JUnit report. */
  reportPath: string
  artifact: ArtifactSettings
  policy: PolicySettings
  summary: boolean
  annotations: boolean
  publishing: PublishingSettings
}
