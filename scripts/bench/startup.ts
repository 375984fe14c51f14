// Start-up: from process start (right after spawn() returned) to the first request at the simulator, for
// the bundled action, for the installed command on each Node major it supports, and for bare Node
// processes that only send the same start request.
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { runCommand, type InstalledCommand, type NodeMajor } from './command.js'
import { freshWebhook, requestsOf, runOurs, runProcess } from './measure.js'
import type { Bench } from './overhead.js'

export type Starter = 'action' | 'command' | 'bare-fetch' | 'bare-http'

export const STARTER_NAMES: Record<Starter, string> = {
  action: 'this action (dist/index.js, runner environment)',
  command: 'the command (`crashtest-dast scan`, installed package)',
  'bare-fetch': 'bare Node: `node -e "fetch(url, {method: \'POST\'})"`',
  'bare-http': 'bare Node: `node -e "http.request(url, {method: \'POST\'})"`'
}

export interface StartupProcess {
  starter: Starter
  node: NodeMajor
}

/** What is measured, in the order of the page: the action runs on Node 24 only, as action.yml says. */
export const STARTUP_PROCESSES: readonly StartupProcess[] = [
  { starter: 'action', node: 24 },
  { starter: 'command', node: 24 },
  { starter: 'command', node: 22 },
  { starter: 'bare-fetch', node: 24 },
  { starter: 'bare-http', node: 24 },
  { starter: 'bare-fetch', node: 22 },
  { starter: 'bare-http', node: 22 }
]

export interface StartupSample extends StartupProcess {
  startupMs: number
}

export interface StartupContext {
  bench: Bench
  /** the Node binary of each major */
  nodes: Record<NodeMajor, string>
  command: InstalledCommand
  /** where the command's working and home folders are made (and removed) */
  folder: string
}

const BARE_SCRIPTS: Record<'bare-fetch' | 'bare-http', (url: string) => string> = {
  'bare-fetch': url => `fetch(${JSON.stringify(url)}, { method: 'POST', body: '' }).then(r => r.text())`,
  'bare-http': url =>
    `require('node:http').request(${JSON.stringify(url)}, { method: 'POST' }, r => r.resume()).end()`
}

export async function startupOf(context: StartupContext, measured: StartupProcess): Promise<StartupSample> {
  const { bench } = context
  const { starter, node } = measured
  const webhook = freshWebhook(`${starter}-${node}`)
  bench.simulator.addTarget(webhook, { runningMs: 0 })
  let spawnedAt: number
  if (starter === 'action') {
    if (node !== 24) throw new Error('the action runs on Node 24 only')
    ;({ spawnedAt } = await runOurs({ simulator: bench.simulator, webhook }))
  } else if (starter === 'command') {
    spawnedAt = await runCommandOnce(context, node, webhook)
  } else {
    const url = `${bench.simulator.url}/${webhook}`
    const ended = await runProcess(context.nodes[node], ['-e', BARE_SCRIPTS[starter](url)], {
      env: { PATH: process.env.PATH ?? '' }
    })
    if (ended.code !== 0) throw new Error(`${starter} on Node ${node} failed: ${ended.stderr}`)
    spawnedAt = ended.spawnedAt
  }
  const first = requestsOf(bench.simulator, webhook)[0]
  if (!first) throw new Error(`${starter} on Node ${node}: no request reached the simulator`)
  return { starter, node, startupMs: first.at - spawnedAt }
}

/** One `crashtest-dast scan` to its verdict (exit 0 or 1), in a working and a home folder of its own. */
async function runCommandOnce(context: StartupContext, node: NodeMajor, webhook: string): Promise<number> {
  const cwd = mkdtempSync(join(context.folder, 'command-cwd-'))
  const home = mkdtempSync(join(context.folder, 'command-home-'))
  try {
    const ended = await runCommand({
      command: context.command,
      node: context.nodes[node],
      args: ['scan'],
      env: {
        CRASHTEST_WEBHOOK: webhook,
        CRASHTEST_API_URL: context.bench.simulator.url,
        CRASHTEST_POLL_INTERVAL: '1'
      },
      cwd,
      home
    })
    if (ended.code !== 0 && ended.code !== 1) {
      throw new Error(
        `crashtest-dast scan on Node ${node} ended with exit code ${ended.code ?? ended.signal} instead of ` +
          `a verdict:\n${ended.stdout}${ended.stderr}`
      )
    }
    return ended.spawnedAt
  } finally {
    rmSync(cwd, { recursive: true, force: true })
    rmSync(home, { recursive: true, force: true })
  }
}

/**
 * Every process `repetitions` times, interleaved so that a busy moment of the machine hits all alike;
 * each round starts one process further on, so that none always runs right after the same one.
 */
export async function startup(context: StartupContext, repetitions: number): Promise<StartupSample[]> {
  const samples: StartupSample[] = []
  const count = STARTUP_PROCESSES.length
  for (let repetition = 0; repetition < repetitions; repetition++) {
    for (let index = 0; index < count; index++) {
      samples.push(await startupOf(context, STARTUP_PROCESSES[(index + repetition) % count]!))
    }
  }
  context.bench.log(`  ${samples.length} start-ups measured`)
  return samples
}
