import type { Baseline } from '../policy/baseline.js'
import type { Suppression } from '../policy/suppressions.js'
import type { VeracodeCredentials } from '../api/veracode-hmac.js'
import type { KnownSeverity } from '../report/findings.js'
import type { ScanConfig } from './scan-config.js'

export type FailOn = KnownSeverity | 'never'

export interface ApiSettings {
  /** Base URL of the webhook API, without a trailing slash. */
  baseUrl: string
  /** The webhook secret: a credential, masked as soon as it is read. */
  webhook: string
  /** Veracode API credentials (secrets, without region prefix): every request is signed with them. */
  veracode?: VeracodeCredentials
}

export interface PolicySettings {
  failOn: FailOn
  /** Per-severity budgets: the step fails when a count exceeds its budget. */
  maxFindings: Partial<Record<KnownSeverity, number>>
  /** Accepted findings, read from the `suppressions` file before any request. */
  suppressions?: { file: string; entries: Suppression[] }
  /** Only findings not in this earlier report are judged; read from the `baseline` file before any request. */
  baseline?: Baseline
}

/** A file an input names: as the input gives it (for messages) and resolved against the workspace. */
export interface InputFile {
  input: string
  path: string
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
  /** Longest wait for an answer of the webhook API (and longest pause in a report download). */
  requestTimeoutMs: number
  ifRunning: 'wait' | 'fail'
  onTimeout: 'fail' | 'warn'
  /** Absolute path of the JUnit report. */
  reportPath: string
  artifact: ArtifactSettings
  policy: PolicySettings
  /** The files `suppressions` and `baseline` name; read into `policy` by the input helper. */
  policyFiles: { suppressions?: InputFile; baseline?: InputFile }
  summary: boolean
  annotations: boolean
  /** Credentials, API spec and login flow, sent in the start request. */
  scanConfig: ScanConfig
  publishing: PublishingSettings
}
