import { isAbsolute, resolve } from 'node:path'
import { option, OPTIONS } from './options.js'

/** Reads one option as the front end was given it (trimmed unless the option says not), or undefined when not given. */
export type InputReader = (name: string) => string | undefined

/** The option's value, or its default when it was not given (or given empty, where empty means nothing). */
function withDefaults(raw: InputReader): (name: string) => string {
  return name => {
    const definition = option(name)
    const value = raw(name)
    if (value !== undefined && (value !== '' || definition.emptyAllowed)) return value
    // An expression such as `${{ github.token }}` is the runner's to evaluate: it is no value here.
    return definition.default?.startsWith('${{') ? '' : (definition.default ?? '')
  }
}

/** Records one problem with the inputs; returns undefined so that callers can write `problem(…) ?? fallback`. */
export type Problem = (message: string) => undefined

/** Raised for invalid inputs, before any request is sent; lists every problem found. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `Invalid inputs:\n${problems.map(p => `- ${p}`).join('\n')}`
    )
    this.name = 'InputError'
  }
}

const OPTION_MENTION = /'([a-z][a-z0-9-]*)'/g
const OPTION_NAMES = new Set(OPTIONS.map(definition => definition.name))

const BOOLEAN_TRUE = ['true', 'True', 'TRUE']
const BOOLEAN_FALSE = ['false', 'False', 'FALSE']

/**
 * Typed readers for the inputs that collect every problem instead of stopping at the first, so that
 * one run shows all of them. Messages name the input and what it accepts; a caller reading a secret
 * must not pass it to a reader that quotes the value (`text` and `problem` never quote).
 */
export class InputFields {
  readonly problems: string[] = []
  /** The option's value, its default applied; '' when it has neither. */
  readonly read: (name: string) => string

  /**
   * `nameOf` names an option as the front end's user knows it: the action's input, or the command's flag
   * or variable the value came from. Messages are written with each option as `'name'`, which it replaces.
   */
  constructor(
    raw: InputReader,
    private readonly nameOf: (name: string) => string = name => `'${name}'`
  ) {
    this.read = withDefaults(raw)
  }

  /** `message` with each option it mentions as `'name'` named as the front end names it. */
  readonly named = (message: string): string =>
    message.replace(OPTION_MENTION, (mention, name: string) =>
      OPTION_NAMES.has(name) ? this.nameOf(name) : mention
    )

  readonly problem: Problem = written => {
    const message = this.named(written)
    // The same problem found for several targets (a bad api-url, say) is told once.
    if (!this.problems.includes(message)) this.problems.push(message)
    return undefined
  }

  text(name: string): string {
    return this.read(name)
  }

  bool(name: string): boolean {
    const raw = this.read(name)
    const fallback = option(name).default === 'true'
    if (raw === '') return fallback
    if (BOOLEAN_TRUE.includes(raw)) return true
    if (BOOLEAN_FALSE.includes(raw)) return false
    return this.problem(`'${name}' must be true or false, got '${raw}'`) ?? fallback
  }

  /** One of the option's `values`; its default when not given. */
  oneOf<T extends string>(name: string): T {
    const { values = [], default: fallback = '' } = option(name)
    const raw = this.read(name)
    const value = raw.toLowerCase()
    if (values.includes(value)) return value as T
    return this.problem(`'${name}' must be one of ${values.join(', ')}; got '${raw}'`) ?? (fallback as T)
  }

  /** A number of `unit`s, at least `min` (or above 0 when `min` is 0) and at most `max`. */
  number(name: string, min: number, unit: string, max = Infinity): number {
    const raw = this.read(name)
    const fallback = Number(option(name).default)
    // Decimal only: Number() would also read `0x10`, `1e3` and `0b1`.
    const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN
    if (!Number.isFinite(value) || value < min || (min === 0 && value === 0) || value > max) {
      const bound =
        (min === 0 ? 'greater than 0' : `at least ${min}`) + (max < Infinity ? ` and at most ${max}` : '')
      return this.problem(`'${name}' must be a number of ${unit} ${bound}; got '${raw}'`) ?? fallback
    }
    return value
  }

  /** Throws one InputError listing every problem recorded so far. */
  check(): void {
    if (this.problems.length > 0) throw new InputError(this.problems)
  }
}

/** `input` as an absolute path: relative paths are relative to `baseDir`. */
export function resolvePath(input: string, baseDir: string): string {
  return isAbsolute(input) ? input : resolve(baseDir, input)
}
