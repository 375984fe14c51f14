import { errorMessage } from '../engine/api/errors.js'
import { Cancelled, cancelOnSignals } from '../engine/run/cancellation.js'
import { outputValues } from '../engine/run/outputs.js'
import { describeSettings, runScans } from '../engine/run/run-scan.js'
import { InputError } from '../engine/settings/input-fields.js'
import { readSettings } from '../engine/settings/read-settings.js'
import { COMMAND_OPTIONS, commandReader, parseInvocation, UsageError } from './arguments.js'
import { detectCi } from './ci/detect.js'
import { CommandLog, type LogStream } from './command-log.js'
import { EXIT, exitCodeOf, exitCodeOfSignal } from './exit-codes.js'
import { renderHelp } from './help.js'
import { Redactor } from './redact.js'
import { ciMessages, verdictLines } from './verdict.js'

export interface CommandContext {
  argv: readonly string[]
  env: Record<string, string | undefined>
  cwd: string
  stdout: LogStream
  stderr: LogStream
  version: string
}

/** `crashtest-dast`: read the options; start, wait, fetch, judge (the engine); tell. Returns the exit code. */
export async function main(context: CommandContext): Promise<number> {
  const { env, stdout, stderr, version } = context
  const redactor = new Redactor()
  const terminal = stderr.isTTY === true
  const ci = detectCi(env)
  const log = new CommandLog({
    stream: stderr,
    ci,
    terminal,
    // https://no-color.org: any non-empty NO_COLOR turns colour off.
    colour: terminal && !env.NO_COLOR,
    redactor
  })
  let invocation
  try {
    invocation = parseInvocation(context.argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    log.error(`${error.message}. Run \`crashtest-dast --help\` for the options.`)
    return EXIT.usage
  }
  if (invocation.kind !== 'scan') {
    stdout.write(invocation.kind === 'help' ? renderHelp(version) : `${version}\n`)
    return EXIT.passed
  }

  const cancellation = cancelOnSignals(log, 'interrupted')
  try {
    let read
    try {
      const reader = commandReader(invocation.flags, env)
      read = await readSettings(reader, context.cwd, log, () => undefined)
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      log.error(
        `${asFlags(error.message)}\nNo request was sent. Run \`crashtest-dast --help\` for the options.`
      )
      return EXIT.usage
    }
    const { settings } = read
    await log.section('Settings', async () => describeSettings(log, settings))
    const outcome = await runScans(settings, log, { signal: cancellation.signal, toolVersion: version })
    log.close()

    const print = (text: string): void => void stdout.write(`${redactor.redact(text)}\n`)
    // With --json, stdout is the JSON object's alone.
    if (!invocation.json) ciMessages(ci, outcome, settings, context.cwd).forEach(print)
    for (const { text, style } of verdictLines(outcome, settings)) {
      if (style) log.styled(text, style)
      else log.info(text)
    }
    if (invocation.json) print(JSON.stringify(outputValues(outcome)))

    const { reason } = cancellation.signal
    if (reason instanceof Cancelled) return exitCodeOfSignal(reason.signalName)
    return exitCodeOf(outcome, settings)
  } catch (error) {
    log.error(`Unexpected failure: ${errorMessage(error)}`)
    return EXIT.error
  } finally {
    log.close()
    cancellation.release()
  }
}

/** The engine names options as the action's inputs ('fail-on'); here they are flags (--fail-on). */
function asFlags(message: string): string {
  return COMMAND_OPTIONS.reduce(
    (text, option) => text.replaceAll(`'${option.name}'`, `--${option.name}`),
    message
  )
}
