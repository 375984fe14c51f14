import type { ScanConfig } from '../api/scan-config.js'
import type { PolicySettings } from '../policy/gate.js'
import type { Target } from './targets.js'

/** A file an option names: as the option gives it (for messages) and resolved against the base folder. */
export interface InputFile {
  input: string
  path: string
}

/** What the engine needs to run a scan, whichever front end read it. */
export interface Settings {
  /** One or more scan targets, scanned side by side. */
  targets: Target[]
  /** How many of the targets' scans run at once. */
  maxParallel: number
  wait: boolean
  timeoutMs: number
  pollIntervalMs: number
  /** Longest wait for an answer of the webhook API (and longest pause in a report download). */
  requestTimeoutMs: number
  ifRunning: 'wait' | 'fail'
  onTimeout: 'fail' | 'warn'
  /** Absolute path of `report-path`; each target's report is at its own path (see Target). */
  reportPath: string
  policy: PolicySettings
  /** The files `suppressions` and `baseline` name; read into `policy` before any request. */
  policyFiles: { suppressions?: InputFile; baseline?: InputFile | 'auto' }
  /** Credentials, API spec and login flow, sent in the start request. */
  scanConfig: ScanConfig
  /** Absolute path of the SARIF file to write; none when not asked for. */
  sarifPath?: string
  /** Absolute path of the GitLab DAST report to write; none when not asked for. */
  gitlabReportPath?: string
}
