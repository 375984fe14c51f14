// One end-to-end scenario: a simulator target, a fake artifact service, and the bundled action run
// against both as the runner would run it.
import { expect } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { startArtifactService, type ArtifactService } from '../../simulator/artifact-service.js'
import type { LoginEndpoint } from '../../simulator/scan-config.js'
import {
  startSimulator,
  type RecordedRequest,
  type Simulator,
  type TargetScenario
} from '../../simulator/webhook-api.js'
import { expectNoSecrets, JOB_TOKEN, runAction, type ActionRun, type RunActionOptions } from './harness.js'

/** A distinctive webhook secret: any appearance of it outside `::add-mask::` is a leak. */
export const WEBHOOK = 'wh-e2e-S3cr3t-9f3a7c51'

export interface Scenario {
  target?: TargetScenario
  inputs?: Record<string, string>
  /** Pass the whole webhook URL as `webhook` and leave `api-url` at its default. */
  webhookAsUrl?: boolean
  /** Register no target: the simulator then answers 404 for the webhook. */
  unknownWebhook?: boolean
  timeoutMs?: number
  /** Files to write into the workspace before the run, by workspace-relative path. */
  files?: Record<string, string>
  /** More values that must not leak, besides the webhook. */
  secrets?: string[]
  /** Serve the login endpoint of the scanned application; `token-url` then points at it unless given. */
  login?: LoginEndpoint
  /**
   * Veracode mode: the simulator checks signatures with these credentials (id → key) on its Veracode
   * path, where `api-url` (or the webhook URL) then points.
   */
  veracodeCredentials?: Record<string, string>
  /** The triggering event (default: a push) and extra environment, e.g. GITHUB_API_URL. */
  event?: RunActionOptions['event']
  env?: Record<string, string>
  /** Access to the action's process, e.g. to send signals. */
  onSpawn?: RunActionOptions['onSpawn']
  /** More targets by webhook secret (secrets that must not leak either); `inputs.webhook` names them. */
  targets?: Record<string, TargetScenario>
  /**
   * Runs once the simulator is up, before the action: e.g. to start a scan the action is to follow. The
   * inputs it returns are added to the action's.
   */
  before?: (simulator: Simulator) => Promise<Record<string, string>>
}

export interface ScenarioRun extends ActionRun {
  requests: RecordedRequest[]
  artifacts: ArtifactService['artifacts']
  /** Requests to one endpoint of the webhook API. */
  count(endpoint: Endpoint): number
}

type Endpoint = 'start' | 'status' | 'report' | 'login'

/**
 * Runs the action once; every run is also checked for leaks of the webhook secret (and `secrets`) and
 * for warnings of Node's.
 */
export async function runScenario(scenario: Scenario = {}): Promise<ScenarioRun> {
  const simulator = await startSimulator({ veracodeCredentials: scenario.veracodeCredentials })
  const apiUrl = scenario.veracodeCredentials ? simulator.veracodeUrl : simulator.url
  const artifactService = await startArtifactService()
  try {
    if (!scenario.unknownWebhook) simulator.addTarget(WEBHOOK, { runningMs: 1000, ...scenario.target })
    if (scenario.login) simulator.setLogin(scenario.login)
    for (const [webhook, target] of Object.entries(scenario.targets ?? {}))
      simulator.addTarget(webhook, target)
    const inputsBefore = (await scenario.before?.(simulator)) ?? {}
    const run = await runAction({
      workspace: scenario.files && workspaceWith(scenario.files),
      inputs: {
        ...(scenario.login && { 'token-url': simulator.loginUrl }),
        ...(scenario.webhookAsUrl
          ? { webhook: `${apiUrl}/${WEBHOOK}` }
          : { webhook: WEBHOOK, 'api-url': apiUrl }),
        'poll-interval': '1',
        ...scenario.inputs,
        ...inputsBefore
      },
      env: {
        ACTIONS_RUNTIME_TOKEN: artifactService.runtimeToken,
        ACTIONS_RESULTS_URL: artifactService.url,
        ...scenario.env
      },
      timeoutMs: scenario.timeoutMs,
      event: scenario.event,
      onSpawn: scenario.onSpawn
    })
    expectNoSecrets(run, [
      WEBHOOK,
      JOB_TOKEN,
      ...Object.keys(scenario.targets ?? {}),
      ...(scenario.secrets ?? [])
    ])
    // Node's own warnings (a listener leak, a deprecation) land in the job log, outside any group.
    expect(run.stderr).not.toMatch(/\(node:\d+\) \w*Warning/)
    const requests = [...simulator.requests]
    const count = (endpoint: Endpoint): number => requests.filter(r => endpointOf(r) === endpoint).length
    return { ...run, requests, artifacts: [...artifactService.artifacts], count }
  } finally {
    await Promise.all([simulator.close(), artifactService.close()])
  }
}

function workspaceWith(files: Record<string, string>): string {
  const workspace = join(mkdtempSync(join(tmpdir(), 'crashtest-e2e-')), 'workspace')
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true })
    writeFileSync(join(workspace, path), content)
  }
  return workspace
}

function endpointOf(request: RecordedRequest): string {
  if (request.path.startsWith('/auth/')) return 'login'
  if (request.method === 'POST') return 'start'
  if (request.path.endsWith('/status')) return 'status'
  if (request.path.endsWith('/report/junit')) return 'report'
  return 'other'
}

/** The error annotation (`::error::`) that ends a failed step: core.setFailed's message. */
export function failureMessage(run: ActionRun): string {
  const errors = run.commands.filter(c => c.command === 'error' && !c.properties.title)
  expect(errors.length).toBeGreaterThan(0)
  return errors.map(e => e.message).join('\n')
}

export function annotations(run: ActionRun, command: 'error' | 'warning' | 'notice'): ActionRun['commands'] {
  return run.commands.filter(c => c.command === command && c.properties.title)
}
