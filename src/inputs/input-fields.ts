/** Reads one input as the runner gives it: the trimmed value, or '' when not set. */
export type InputReader = (name: string) => string

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

const BOOLEAN_TRUE = ['true', 'True', 'TRUE']
const BOOLEAN_FALSE = ['false', 'False', 'FALSE']

/**
 * Typed readers for the inputs that collect every problem instead of stopping at the first, so that
 * one run shows all of them. Messages name the input and what it accepts; a caller reading a secret
 * must not pass it to a reader that quotes the value (`text` and `problem` never quote).
 */
export class InputFields {
  readonly problems: string[] = []

  constructor(readonly read: InputReader) {}

  readonly problem: Problem = message => {
    this.problems.push(message)
    return undefined
  }

  text(name: string): string {
    return this.read(name)
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.read(name)
    if (raw === '') return fallback
    if (BOOLEAN_TRUE.includes(raw)) return true
    if (BOOLEAN_FALSE.includes(raw)) return false
    return this.problem(`'${name}' must be true or false, got '${raw}'`) ?? fallback
  }

  oneOf<T extends string>(name: string, accepted: readonly T[], fallback: T): T {
    const raw = this.read(name)
    if (raw === '') return fallback
    const value = raw.toLowerCase() as T
    if (accepted.includes(value)) return value
    return this.problem(`'${name}' must be one of ${accepted.join(', ')}; got '${raw}'`) ?? fallback
  }

  /** A number of `unit`s, at least `min` (or above 0 when `min` is 0) and at most `max`. */
  number(name: string, fallback: number, min: number, unit: string, max = Infinity): number {
    const raw = this.read(name)
    if (raw === '') return fallback
    const value = Number(raw)
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
