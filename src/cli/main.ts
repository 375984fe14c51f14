import { errorMessage } from '../engine/api/errors.js'
import { Cancelled, cancelOnSignals } from '../engine/run/cancellation.js'
import { describeSettings, runScans } from '../engine/run/run-scan.js'
import { keepFile } from '../engine/files/keep-file.js'
import { renderJudgedJunit } from '../engine/files/judged-junit.js'
import type { RunOutcome } from '../engine/run/outcome.js'
import { InputError, resolvePath, type InputFields } from '../engine/settings/input-fields.js'
import { readSettings } from '../engine/settings/read-settings.js'
import type { Settings } from '../engine/settings/settings.js'
import { commandReader, environmentWarnings, parseInvocation, UsageError } from './arguments.js'
import { detectCi } from './ci/detect.js'
import { CommandLog, type LogStream } from './command-log.js'
import { EXIT, exitCodeOf, exitCodeOfSignal } from './exit-codes.js'
import { renderHelp } from './help.js'
import { jsonOutput } from './json-output.js'
import { Redactor } from './redact.js'
import { ciMessages, verdictLines, type CommandOutcome } from './verdict.js'

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
    redactor,
    serviceMessages: context.argv.includes('--json') ? undefined : stdout
  })
  // With --json, a command line that cannot be run is told on stdout too, as the one JSON object.
  const usageError = (message: string): number => {
    log.error(message)
    if (context.argv.includes('--json')) stdout.write(`${JSON.stringify({ result: 'error', message })}\n`)
    return EXIT.usage
  }
  let invocation
  try {
    invocation = parseInvocation(context.argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    return usageError(`${error.message}. Run \`crashtest-dast --help\` for the options.`)
  }
  if (invocation.kind !== 'scan') {
    stdout.write(invocation.kind === 'help' ? renderHelp(version) : `${version}\n`)
    return EXIT.passed
  }

  const cancellation = cancelOnSignals(log, 'interrupted')
  try {
    for (const warning of environmentWarnings(env)) log.warning(warning)
    const reader = commandReader(invocation.flags, env)
    log.nameOptionsBy(reader.sourceOf)
    let read
    try {
      read = await readSettings(reader.read, context.cwd, log, parseCommandSettings(context.cwd), command => [
        { option: 'junit-path', path: command.junitPath }
      ])
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      return usageError(
        `${error.message}\nNo request was sent. Run \`crashtest-dast --help\` for the options.`
      )
    }
    const { settings } = read
    if (!settings.targets.some(target => target.api.veracode)) {
      log.info(
        'No Veracode API credentials: requests are not signed, as the legacy Crashtest API expects. For Veracode DAST Essentials, set VERACODE_API_KEY_ID and VERACODE_API_KEY_SECRET.'
      )
    }
    await log.section('Settings', async () => describeSettings(log, settings))
    const run = await runScans(settings, log, { signal: cancellation.signal, toolVersion: version })
    const outcome: CommandOutcome = {
      ...run,
      junitPath: await keepJudgedJunit(log, run, read.frontEnd.junitPath)
    }
    log.close()

    const print = (text: string): void => void stdout.write(`${redactor.redact(text)}\n`)
    // With --json, stdout is the JSON object's alone.
    if (!invocation.json) ciMessages(ci, outcome, settings).forEach(print)
    for (const { text, style } of verdictLines(outcome, settings)) {
      if (style) log.styled(text, style)
      else log.info(text)
    }
    if (invocation.json) print(JSON.stringify(jsonOutput(outcome)))

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

/** The command's own settings, beside the engine's: the judged JUnit file only the command writes. */
function parseCommandSettings(cwd: string) {
  return (fields: InputFields, settings: Settings) => {
    if (settings.policyFiles.baseline === 'auto') {
      fields.problem(
        `'baseline' auto looks up the previous run through GitHub's API, which only the action does: give the path of an earlier report the CI system kept as an artifact`
      )
    }
    return { junitPath: resolvePath(fields.read('junit-path'), cwd) }
  }
}

/** The judged JUnit file, once every target is judged; none when no report was read. */
async function keepJudgedJunit(log: CommandLog, run: RunOutcome, path: string): Promise<string | undefined> {
  const judged = run.targets.flatMap(target =>
    target.report && target.verdict
      ? [{ name: target.name, findings: target.report.findings, verdict: target.verdict }]
      : []
  )
  if (judged.length === 0) return undefined
  const file = { name: 'the JUnit report', contents: 'JUnit report judged by the rules, for the CI system' }
  return keepFile(log, file, path, [renderJudgedJunit(judged)])
}
