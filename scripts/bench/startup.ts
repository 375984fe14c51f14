// Start-up: from process start (right after spawn() returned) to the first request at the simulator, for
// the bundled action and for bare Node 24 processes that only send the same start request.
import { freshWebhook, requestsOf, runOurs, runProcess } from './measure.js'
import type { Bench } from './overhead.js'

export type Starter = 'ours' | 'bare-fetch' | 'bare-http'

export const STARTER_NAMES: Record<Starter, string> = {
  ours: 'this action (dist/index.js, runner environment)',
  'bare-fetch': 'bare Node: `node -e "fetch(url, {method: \'POST\'})"`',
  'bare-http': 'bare Node: `node -e "http.request(url, {method: \'POST\'})"`'
}

export interface StartupSample {
  starter: Starter
  startupMs: number
}

const BARE_SCRIPTS: Record<Exclude<Starter, 'ours'>, (url: string) => string> = {
  'bare-fetch': url => `fetch(${JSON.stringify(url)}, { method: 'POST', body: '' }).then(r => r.text())`,
  'bare-http': url =>
    `require('node:http').request(${JSON.stringify(url)}, { method: 'POST' }, r => r.resume()).end()`
}

export async function startupOf(bench: Bench, starter: Starter): Promise<StartupSample> {
  const webhook = freshWebhook(starter)
  bench.simulator.addTarget(webhook, { runningMs: 0 })
  let spawnedAt: number
  if (starter === 'ours') {
    ;({ spawnedAt } = await runOurs({ simulator: bench.simulator, webhook }))
  } else {
    const url = `${bench.simulator.url}/${webhook}`
    const ended = await runProcess(process.execPath, ['-e', BARE_SCRIPTS[starter](url)], {
      env: { PATH: process.env.PATH ?? '' }
    })
    if (ended.code !== 0) throw new Error(`${starter} failed: ${ended.stderr}`)
    spawnedAt = ended.spawnedAt
  }
  const first = requestsOf(bench.simulator, webhook)[0]
  if (!first) throw new Error(`${starter}: no request reached the simulator`)
  return { starter, startupMs: first.at - spawnedAt }
}

/** Every starter `repetitions` times, interleaved so that a busy moment of the machine hits all alike. */
export async function startup(bench: Bench, repetitions: number): Promise<StartupSample[]> {
  const starters: Starter[] = ['bare-fetch', 'bare-http', 'ours']
  const samples: StartupSample[] = []
  for (let repetition = 0; repetition < repetitions; repetition++) {
    for (const starter of starters) samples.push(await startupOf(bench, starter))
  }
  bench.log(`  ${samples.length} start-ups measured`)
  return samples
}
