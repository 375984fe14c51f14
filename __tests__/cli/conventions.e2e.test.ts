// The installed command as a CLI's users expect it: help and version exit 0, a bad value is refused by its
// own rule and named where it came from, unknown variables are pointed out, old Node gets one line.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { runCliScenario } from './fixtures.js'
import { installedPackage, runCli } from './harness.js'

// Imported by its URL: the module is plain JavaScript, without types. Node 18 comes from the npm registry
// the first time, like Node 22 and 24.
const { nodeBinary } = (await import(new URL('../../scripts/node-binary.mjs', import.meta.url).href)) as {
  nodeBinary: (major: number) => string
}

describe('the command’s conventions', () => {
  it.each([['-h'], ['help'], ['-V'], ['version']])('exits 0 for %s', async flag => {
    const run = await runCli({ args: [flag] })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(
      flag === '-h' || flag === 'help' ? /^crashtest-dast \d+\.\d+\.\d+: / : /^\d+\.\d+\.\d+\n$/
    )
  })

  it('refuses --timeout -5 by the time-out’s rule, naming the flag, and a bad variable by its name', async () => {
    const flag = await runCliScenario({ args: ['scan', '--timeout', '-5'] })
    expect(flag.exitCode).toBe(2)
    expect(flag.stderr).toContain(
      "--timeout must be a number of minutes greater than 0 and at most 7200; got '-5'"
    )
    const variable = await runCliScenario({ args: ['scan'], env: { CRASHTEST_POLL_INTERVAL: '0x10' } })
    expect(variable.exitCode).toBe(2)
    expect(variable.stderr).toContain('CRASHTEST_POLL_INTERVAL must be a number of seconds at least 1')
    expect(variable.stderr).not.toContain('--poll-interval must')
    expect([...flag.requests, ...variable.requests]).toEqual([])
  })

  it('warns of an unknown CRASHTEST_ variable and of Veracode names it does not read, and tells the legacy API', async () => {
    const run = await runCliScenario({
      args: ['scan', '--fail-on', 'never'],
      env: { CRASHTEST_WEBHOOK_ID: 'x', VERACODE_API_ID: 'y' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.stderr).toContain(
      'CRASHTEST_WEBHOOK_ID is not a variable crashtest-dast reads, so it is ignored; did you mean CRASHTEST_WEBHOOK?'
    )
    expect(run.stderr).toContain(
      'VERACODE_API_ID is not read: the Veracode API credentials are read from VERACODE_API_KEY_ID'
    )
    expect(run.stderr).toContain(
      'No Veracode API credentials: requests are not signed, as the legacy Crashtest API expects'
    )
  })

  it('names options as the user gave them in what the scan tells, never as the action’s inputs', async () => {
    const unknown = 'a-webhook-the-service-does-not-know'
    const fromEnvironment = await runCliScenario({ env: { CRASHTEST_WEBHOOK: unknown }, secrets: [unknown] })
    expect(fromEnvironment.exitCode).toBe(3)
    expect(fromEnvironment.stderr).toContain(
      'The service does not know this webhook: check CRASHTEST_WEBHOOK and CRASHTEST_API_URL.'
    )
    // The webhook from its flag, the API URL (the simulator's) from the environment.
    const fromFlag = await runCliScenario({ args: ['scan', '--webhook', unknown], secrets: [unknown] })
    expect(fromFlag.stderr).toContain(
      'The service does not know this webhook: check --webhook and CRASHTEST_API_URL.'
    )
    for (const run of [fromEnvironment, fromFlag]) expect(run.stderr).not.toMatch(/'(webhook|api-url)'/)
  })

  it('prints a usage error as the JSON object too, with --json', async () => {
    const run = await runCli({ args: ['scan', '--json', '--wait=maybe'] })
    expect(run.exitCode).toBe(2)
    expect(JSON.parse(run.stdout)).toEqual({
      result: 'error',
      message:
        '--wait takes true or false (or no value: --wait, --no-wait). Run `crashtest-dast --help` for the options.'
    })
  })

  it('says in one line which Node it needs when run on Node 18, and exits 2 before anything else', () => {
    const run = spawnSync(nodeBinary(18), [installedPackage().bin, 'scan'], {
      encoding: 'utf8',
      timeout: 30_000
    })
    expect(run.status).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(
      /^crashtest-dast needs Node\.js 22 or later; this is Node\.js 18\.\d+\.\d+\.\n$/
    )
  }, 120_000)
})
