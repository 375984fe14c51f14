// Runs the webhook API simulator as a process, for the demo and the CI workflow:
//   node --import tsx simulator/cli.ts [--port 8080] [--host 127.0.0.1] [--webhook demo-webhook]
//                                      [--queued-seconds 1] [--running-seconds 5]
//                                      [--veracode-api-id ID --veracode-api-key HEXKEY]
// With Veracode API credentials, requests to the Veracode path must be signed with them. It prints one line with the base URL once it listens (callers wait for that line) and stops on
// SIGINT or SIGTERM.
import { parseArgs } from 'node:util'
import { DEMO_FINDINGS, startSimulator } from './webhook-api.js'

const USAGE =
  'Usage: node --import tsx simulator/cli.ts [--port 8080] [--host 127.0.0.1] [--webhook demo-webhook] ' +
  '[--queued-seconds 1] [--running-seconds 5] [--veracode-api-id ID --veracode-api-key HEXKEY]'

interface CliOptions {
  port: number
  host: string
  webhook: string
  queuedSeconds: number
  runningSeconds: number
  veracodeCredentials?: Record<string, string>
}

function parseCliOptions(args: string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      webhook: { type: 'string', default: 'demo-webhook' },
      'queued-seconds': { type: 'string', default: '1' },
      'running-seconds': { type: 'string', default: '5' },
      'veracode-api-id': { type: 'string' },
      'veracode-api-key': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  if (values.help) return 'help'
  return {
    port: portNumber(values.port),
    host: values.host,
    webhook: nonEmpty('--webhook', values.webhook),
    queuedSeconds: nonNegativeNumber('--queued-seconds', values['queued-seconds']),
    runningSeconds: nonNegativeNumber('--running-seconds', values['running-seconds']),
    veracodeCredentials: veracodeCredentials(values['veracode-api-id'], values['veracode-api-key'])
  }
}

function veracodeCredentials(
  id: string | undefined,
  key: string | undefined
): Record<string, string> | undefined {
  if (id === undefined && key === undefined) return undefined
  if (!id || !/^[A-Za-z0-9]+$/.test(id) || !key || !/^(?:[0-9A-Fa-f]{2})+$/.test(key)) {
    throw new Error('--veracode-api-id (letters and digits) and --veracode-api-key (hex) go together')
  }
  return { [id]: key }
}

function portNumber(raw: string): number {
  const port = Number(raw)
  if (!/^\d+$/.test(raw) || port > 65535)
    throw new Error(`--port must be a port number (0 to 65535), got "${raw}"`)
  return port
}

function nonNegativeNumber(flag: string, raw: string): number {
  const value = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${flag} must be a number of seconds (0 or more), got "${raw}"`)
  }
  return value
}

function nonEmpty(flag: string, raw: string): string {
  if (raw === '' || raw.includes('/'))
    throw new Error(`${flag} must be a non-empty id without "/", got "${raw}"`)
  return raw
}

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2))
  if (options === 'help') {
    console.log(USAGE)
    return
  }
  const simulator = await startSimulator({
    port: options.port,
    host: options.host,
    veracodeCredentials: options.veracodeCredentials,
    targets: {
      [options.webhook]: {
        findings: DEMO_FINDINGS,
        queuedMs: options.queuedSeconds * 1000,
        runningMs: options.runningSeconds * 1000
      }
    }
  })
  console.log(`Crashtest simulator listening on ${simulator.url} (webhook: ${options.webhook})`)
  if (options.veracodeCredentials) console.log(`Signed requests only on ${simulator.veracodeUrl}`)
  const stop = () => {
    simulator.close().catch((error: unknown) => {
      console.error(`Could not close the simulator: ${(error as Error).message}`)
      process.exitCode = 1
    })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error((error as Error).message)
  console.error(USAGE)
  process.exitCode = 1
})
