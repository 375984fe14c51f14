import { parseArgs } from 'node:util'
import type { InputReader } from '../engine/settings/input-fields.js'
import { optionsOf, type OptionDefinition } from '../engine/settings/options.js'

/** A command line that cannot be run: exit code 2, with a message that never quotes a value. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export type Invocation =
  { kind: 'help' } | { kind: 'version' } | { kind: 'scan'; flags: Flags; json: boolean }

/** The options given as flags; a repeatable one given several times holds one value a line. */
export type Flags = Record<string, string | boolean | undefined>

/** The command's own flags, beside the engine's options. */
export const COMMAND_FLAGS = {
  json: 'Print one JSON object with the outputs (scan-id, result, counts, paths, targets) on stdout at the end, and nothing else there: no CI service messages.',
  help: 'Show this help.',
  version: 'Show the version.'
} as const

export const COMMAND_OPTIONS = optionsOf('command')

/** Environment variables that also give an option; Veracode's own tools read these names. */
export const ENVIRONMENT_ALIASES: Record<string, string> = {
  'veracode-api-id': 'VERACODE_API_KEY_ID',
  'veracode-api-key': 'VERACODE_API_KEY_SECRET'
}

export function environmentVariable(option: OptionDefinition): string {
  return `CRASHTEST_${option.name.replace(/-/g, '_').toUpperCase()}`
}

/** `crashtest-dast scan [options]`, `--help`, `--version`. Option values are never quoted in errors. */
export function parseInvocation(argv: readonly string[]): Invocation {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {
    json: { type: 'boolean' },
    help: { type: 'boolean' },
    version: { type: 'boolean' }
  }
  for (const option of COMMAND_OPTIONS) {
    options[option.name] = {
      type: option.boolean ? 'boolean' : 'string',
      multiple: option.repeatable === true
    }
    if (option.boolean) options[`no-${option.name}`] = { type: 'boolean' }
  }
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(describeParseError(error))
  }
  const { values, positionals } = parsed
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }
  const [command, ...rest] = positionals
  if (command === undefined) throw new UsageError('no command given: the command is `crashtest-dast scan`')
  if (command !== 'scan') throw new UsageError(`unknown command; the only command is \`scan\``)
  if (rest.length > 0) {
    throw new UsageError(
      `\`scan\` takes no arguments besides its options, and ${rest.length} more ${rest.length === 1 ? 'was' : 'were'} given (an option's value with a space in it needs quotes)`
    )
  }
  const flags: Flags = {}
  for (const option of COMMAND_OPTIONS) {
    const given = values[option.name]
    const value = Array.isArray(given) ? given.join('\n') : given
    const negated = values[`no-${option.name}`]
    if (value !== undefined && negated !== undefined) {
      throw new UsageError(`--${option.name} and --no-${option.name} contradict each other: give one`)
    }
    flags[option.name] = negated === undefined ? value : !negated
  }
  return { kind: 'scan', flags, json: values.json === true }
}

/**
 * Reads an option from its flag, else from its environment variable: a flag wins. What is read from the
 * environment is trimmed like a flag is (unless the option keeps its spaces).
 */
export function commandReader(flags: Flags, env: Record<string, string | undefined>): InputReader {
  const definitions = new Map(COMMAND_OPTIONS.map(option => [option.name, option]))
  return name => {
    const option = definitions.get(name)
    if (!option) return undefined
    const flag = flags[name]
    const raw =
      flag !== undefined
        ? String(flag)
        : (env[environmentVariable(option)] ??
          (ENVIRONMENT_ALIASES[name] === undefined ? undefined : env[ENVIRONMENT_ALIASES[name]]))
    return raw === undefined || option.untrimmed ? raw : raw.trim()
  }
}

/** parseArgs' messages quote what they could not place, which may be a secret: say it in our words. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code
  const message = error instanceof Error ? error.message : String(error)
  const flag = /'(-{1,2}[A-Za-z0-9-]+)/.exec(message)?.[1]
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag ?? ''}`.trim()
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return flag && /argument missing/.test(message)
        ? `${flag} needs a value`
        : `${flag ?? 'an option'} takes no value (it is a switch: --name or --no-name)`
    default:
      return 'the command line could not be read'
  }
}
