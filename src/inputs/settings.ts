import type { VeracodeCredentials } from '../api/veracode-hmac.js'
import type { KnownSeverity } from '../report/findings.js'

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
}

export interface ArtifactSettings {
  upload: boolean
  /** Explicit name; when absent the name is `crashtest-report-<scan id>`. */
  name?: string
  retentionDays?: number
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
}
