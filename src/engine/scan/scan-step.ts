import type { WebhookClient } from '../api/webhook-client.js'
import type { RunLog } from '../log/run-log.js'
import type { Settings } from '../settings/settings.js'

/** What every step of one target's scan (start, wait, fetch) works with. */
export interface ScanStep {
  client: WebhookClient
  log: RunLog
  settings: Settings
  /** When the run's `timeout` passes, in milliseconds since the epoch. */
  deadline: number
  /** Aborted when the run is cancelled: every wait and request stops at once. */
  signal: AbortSignal
}
