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

/** An option as a flag, optionally set to a value: `--fail-on`, `--if-running wait`, `--no-wait`. */
export function commandOption(name: string, value?: string): string {
  if (value === undefined || value === 'true') return `--${name}`
  return value === 'false' ? `--no-${name}` : `--${name} ${value}`
}

export function environmentVariable(option: OptionDefinition): string {
  return `CRASHTEST_${option.name.replace(/-/g, '_').toUpperCase()}`
}

/**
 * `crashtest-dast scan [options]`; `-h`, `--help` or `help`; `-V`, `--version` or `version`. Option values
 * are never quoted in errors.
 */
export function parseInvocation(argv: readonly string[]): Invocation {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'V' }
  }
  for (const option of COMMAND_OPTIONS) {
    options[option.name] = {
      type: option.boolean ? 'boolean' : 'string',
      multiple: option.repeatable === true
    }
    if (option.boolean) options[`no-${option.name}`] = { type: 'boolean' }
  }
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>
  const args = withValuesAttached(argv)
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(describeParseError(error))
  }
  const { values, positionals } = parsed
  if (values.help || positionals[0] === 'help') return { kind: 'help' }
  if (values.version || positionals[0] === 'version') return { kind: 'version' }
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
 * The arguments as parseArgs reads them: a value that starts with `-` stays the value of the option before
 * it (`--timeout -5` is then refused by the time-out's own rule), and a switch given `=true` or `=false`
 * becomes `--name` or `--no-name`.
 */
function withValuesAttached(argv: readonly string[]): string[] {
  const taking = new Set(COMMAND_OPTIONS.filter(option => !option.boolean).map(option => `--${option.name}`))
  const switches = new Set(COMMAND_OPTIONS.filter(option => option.boolean).map(option => option.name))
  const args: string[] = []
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string
    if (arg === '--') {
      args.push(...argv.slice(index))
      break
    }
    const next = argv[index + 1]
    if (taking.has(arg) && next !== undefined) {
      args.push(`${arg}=${next}`)
      index++
      continue
    }
    const [, name = '', value] = /^--([a-z-]+)=(.*)$/s.exec(arg) ?? []
    if (switches.has(name)) {
      const given = value?.toLowerCase()
      if (given !== 'true' && given !== 'false')
        throw new UsageError(`--${name} takes true or false (or no value: --${name}, --no-${name})`)
      args.push(given === 'true' ? `--${name}` : `--no-${name}`)
      continue
    }
    args.push(arg)
  }
  return args
}

/**
 * Reads an option from its flag, else from its environment variable: a flag wins. What is read from the
 * environment is trimmed like a flag is (unless the option keeps its spaces).
 */
export function commandReader(flags: Flags, env: Record<string, string | undefined>): CommandReader {
  const definitions = new Map(COMMAND_OPTIONS.map(option => [option.name, option]))
  /** The flag or variable an option's value comes from: where a message about it must point. */
  const sourceOf = (name: string): string => {
    const option = definitions.get(name)
    if (!option || flags[name] !== undefined) return `--${name}`
    const alias = ENVIRONMENT_ALIASES[name]
    if (env[environmentVariable(option)] === undefined && alias !== undefined && env[alias] !== undefined)
      return alias
    return env[environmentVariable(option)] === undefined ? `--${name}` : environmentVariable(option)
  }
  const read: InputReader = name => {
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
  return { read, sourceOf }
}

export interface CommandReader {
  read: InputReader
  /** `--name`, or the environment variable the value was read from. */
  sourceOf(name: string): string
}

/**
 * Warnings about the environment: a `CRASHTEST_` variable the command does not read (with the nearest name
 * it does), and the Veracode variable names of other tools, which it does not read either.
 */
export function environmentWarnings(env: Record<string, string | undefined>): string[] {
  const known = COMMAND_OPTIONS.map(environmentVariable)
  const warnings = Object.keys(env)
    .filter(name => name.startsWith('CRASHTEST_') && !known.includes(name))
    .sort()
    .map(
      name =>
        `${name} is not a variable crashtest-dast reads, so it is ignored; did you mean ${nearest(name, known)}?`
    )
  const others = ['VERACODE_API_ID', 'VERACODE_API_KEY'].filter(name => env[name] !== undefined)
  if (others.length > 0) {
    warnings.push(
      `${others.join(' and ')} ${others.length === 1 ? 'is' : 'are'} not read: the Veracode API credentials are read from VERACODE_API_KEY_ID and VERACODE_API_KEY_SECRET (Veracode's own names), or CRASHTEST_VERACODE_API_ID and CRASHTEST_VERACODE_API_KEY.`
    )
  }
  return warnings
}

/** The candidate fewest single-character edits away from `name`. */
function nearest(name: string, candidates: readonly string[]): string {
  let best = candidates[0] ?? ''
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate)
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance]
  }
  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1))
    }
    previous = current
  }
  return previous[b.length] as number
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
