// A complete scan on a fresh clone, no account needed: the bundled action (dist/index.js) runs on
// Node 24 as the runner runs it, against the simulator of the webhook API and a local fake of the
// artifact service. Its log streams to the terminal; then the verdict, the outputs and the job summary.
// With --command, the same scan runs through the command (dist/cli/index.js) as any other CI runs it.
import { spawn, type StdioOptions } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startArtifactService } from '../simulator/artifact-service.js'
import { runAction } from '../simulator/runner.js'
import { startSimulator } from '../simulator/webhook-api.js'

const { values: options } = parseArgs({
  options: {
    'fail-on': { type: 'string', default: 'high' },
    'max-findings': { type: 'string', default: '' },
    'running-seconds': { type: 'string', default: '4' },
    suppressions: { type: 'string', default: '' },
    baseline: { type: 'string', default: '' },
    command: { type: 'boolean', default: false }
  }
})

const WEBHOOK = 'demo-webhook'
const workspace = fileURLToPath(new URL('../.demo/workspace', import.meta.url))
rmSync(workspace, { recursive: true, force: true })
mkdirSync(workspace, { recursive: true })

const simulator = await startSimulator({
  targets: { [WEBHOOK]: { queuedMs: 1000, runningMs: Number(options['running-seconds']) * 1000 } }
})
const artifactService = await startArtifactService()
const rule = (text: string): string => `\n${'─'.repeat(100)}\n${text}\n${'─'.repeat(100)}`

/** The command in a shell of its own, its options in the environment as a CI system would set them. */
async function runCommand(): Promise<void> {
  console.log(rule(`crashtest-dast scan (simulator at ${simulator.url}, webhook '${WEBHOOK}')`))
  const env = {
    ...process.env,
    CRASHTEST_WEBHOOK: WEBHOOK,
    CRASHTEST_API_URL: simulator.url,
    CRASHTEST_POLL_INTERVAL: '1',
    CRASHTEST_FAIL_ON: options['fail-on'],
    CRASHTEST_MAX_FINDINGS: options['max-findings'],
    CRASHTEST_SUPPRESSIONS: options.suppressions ? resolve(options.suppressions) : '',
    CRASHTEST_BASELINE: options.baseline ? resolve(options.baseline) : ''
  }
  const entry = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url))
  // On a terminal the command's log shows its live status line; anywhere else it is shown on stdout.
  const terminal = process.stderr.isTTY
  const stdio: StdioOptions = terminal ? 'inherit' : ['ignore', 'inherit', 'pipe']
  const child = spawn(process.execPath, [entry, 'scan', '--json'], { cwd: workspace, env, stdio })
  child.stderr?.pipe(process.stdout)
  const code = await new Promise<number | null>(done => child.on('exit', done))
  console.log(rule('Verdict'))
  console.log(`Exit code ${code} (0 passed, 1 rules broken, 2 bad input, 3 error, 4 time-out)`)
  console.log(`Report on disk: ${join(workspace, 'crashtest-report.xml')}`)
  process.exitCode = code === 0 || code === 1 ? 0 : 1
}

try {
  if (options.command) {
    await runCommand()
  } else {
    console.log(rule(`The action's log (simulator at ${simulator.url}, webhook '${WEBHOOK}')`))
    const run = await runAction({
      inputs: {
        webhook: WEBHOOK,
        'api-url': simulator.url,
        'poll-interval': '1',
        'fail-on': options['fail-on'] ?? 'high',
        'max-findings': options['max-findings'] ?? '',
        // Paths from the command line are relative to where the demo was started, not to its workspace.
        suppressions: options.suppressions ? resolve(options.suppressions) : '',
        baseline: options.baseline ? resolve(options.baseline) : ''
      },
      env: { ACTIONS_RUNTIME_TOKEN: artifactService.runtimeToken, ACTIONS_RESULTS_URL: artifactService.url },
      workspace,
      onSpawn: child => child.stdout?.on('data', chunk => process.stdout.write(chunk))
    })
    process.stderr.write(run.stderr)

    console.log(rule('Verdict'))
    const verdict = run.exitCode === 0 ? 'the step passes' : `the step fails (exit code ${run.exitCode})`
    console.log(`Result: ${run.outputs.result} — ${verdict}`)
    console.log(`Requests the simulator received: ${simulator.requests.length}`)
    const artifact = artifactService.artifacts[0]
    if (artifact)
      console.log(
        `Artifact uploaded: ${artifact.name} (id ${artifact.id}, ${artifact.zip.length} bytes zipped)`
      )
    console.log(`Report on disk: ${join(workspace, 'crashtest-report.xml')}`)
    console.log('\nOutputs:')
    for (const [name, value] of Object.entries(run.outputs)) console.log(`  ${name.padEnd(12)} ${value}`)

    console.log(rule('Job summary (Markdown, as GitHub renders it on the run page)'))
    console.log(run.summary)
    // The demo succeeded when the action reached a verdict, whichever it is.
    process.exitCode = run.outputs.result === 'passed' || run.outputs.result === 'failed' ? 0 : 1
  }
} finally {
  await Promise.all([simulator.close(), artifactService.close()])
}
