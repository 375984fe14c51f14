const MASK = '***'

interface Span {
  start: number
  end: number
}

/** Hides registered secrets in any text before the command prints it or writes it to a file. */
export class Redactor {
  readonly #forms = new Set<string>()

  /**
   * Registers a secret, with the forms it takes inside a URL (`encodeURIComponent`) and inside
   * a JSON string, as error messages and reports quote requests in those forms.
   */
  add(secret: string): this {
    if (secret.trim() === '') return this
    this.#forms.add(secret)
    this.#forms.add(JSON.stringify(secret).slice(1, -1))
    // encodeURIComponent throws on a lone surrogate; such a secret cannot appear URL-encoded anyway.
    if (secret.isWellFormed()) this.#forms.add(encodeURIComponent(secret))
    return this
  }

  /** Replaces every occurrence of every registered form with `***`. */
  redact(text: string): string {
    let result = ''
    let from = 0
    for (const { start, end } of this.#coveredSpans(text)) {
      result += text.slice(from, start) + MASK
      from = end
    }
    return result + text.slice(from)
  }

  /**
   * Finds every occurrence of every form and merges those that overlap, so one mask covers them.
   *
   * Replacing secret after secret would not do: once `abcd` is masked in `abcdef`, an overlapping
   * secret `cdef` is no longer found and its tail `ef` would show.
   */
  #coveredSpans(text: string): Span[] {
    const spans: Span[] = []
    for (const form of this.#forms) {
      for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
        spans.push({ start: at, end: at + form.length })
      }
    }
    spans.sort((a, b) => a.start - b.start)
    const merged: Span[] = []
    for (const span of spans) {
      const last = merged.at(-1)
      if (last !== undefined && span.start < last.end) last.end = Math.max(last.end, span.end)
      else merged.push({ ...span })
    }
    return merged
  }
}
