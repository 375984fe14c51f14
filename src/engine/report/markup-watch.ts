/**
 * Watches a report's characters on their way to the XML parser. saxes holds a piece of markup (a name,
 * an attribute value, a comment…) whole until it ends, and the text between two tags until the next tag:
 * a hostile report could make either as large as the download. This follows the markup from outside, with
 * no access to the parser's state: it names the first piece longer than `maxMarkup` characters, and cuts
 * long text and CDATA into parts the parser hands on (an empty comment ends a text, `]]><![CDATA[` ends a
 * CDATA section and opens the next), which changes no character of the document's content.
 */
export class MarkupWatch {
  private state: State = 'text'
  /** Characters of the current piece of markup so far. */
  private length = 0
  /** Characters of text (entities included) or CDATA the parser holds since the last split. */
  private held = 0
  /** The last characters of a comment, CDATA section or processing instruction, for its terminator. */
  private carry = ''
  /** What follows `<!`, until it says whether a comment, CDATA section or DOCTYPE opens. */
  private bang = ''
  /** The target of a processing instruction, until it ends (`xml` makes it an XML declaration). */
  private target = ''
  private quote = ''
  private doctypeBrackets = 0

  constructor(
    private readonly maxMarkup: number,
    private readonly textFlush: number
  ) {}

  /**
   * The characters to hand to the parser next: `piece` itself, or with long text cut into parts; or, when a
   * piece of markup has grown longer than allowed, what kind of markup it is (then nothing may be parsed).
   */
  pass(piece: string): { text: string } | { tooLong: string } {
    const parts: string[] = []
    let from = 0
    let at = 0
    while (at < piece.length) {
      const next = this.step(piece, at)
      if (this.length > this.maxMarkup && KIND[this.state]) return { tooLong: KIND[this.state] as string }
      this.held = HELD.has(this.state) ? this.held + next - at : 0
      if (this.splitHere()) {
        parts.push(piece.slice(from, next), this.state === 'text' ? '<!---->' : ']]><![CDATA[')
        from = next
        this.held = 0
      }
      at = next
    }
    if (parts.length === 0) return { text: piece }
    parts.push(piece.slice(from))
    return { text: parts.join('') }
  }

  /** Text or CDATA long enough to hand on, at a point where the split cannot fall inside markup. */
  private splitHere(): boolean {
    if (this.held <= this.textFlush) return false
    return this.state === 'text' || (this.state === 'cdata' && !this.carry.endsWith(']'))
  }

  /** Consumes characters of `piece` from `at` within the current state; returns where it stopped. */
  private step(piece: string, at: number): number {
    switch (this.state) {
      case 'text':
        return this.until(piece, at, /[<&]/g, found => this.enter(found === '<' ? 'open' : 'entity'))
      case 'entity':
      case 'attributeEntity':
        return this.until(piece, at, /[;<]/g, found => {
          if (found === '<') return this.enter('open')
          this.enter(this.state === 'entity' ? 'text' : 'attributeValue')
        })
      case 'open':
        return this.opening(piece, at)
      case 'bang':
        return this.afterBang(piece, at)
      case 'comment':
        return this.terminatedBy(piece, at, '-->', 'text')
      case 'cdata':
        return this.terminatedBy(piece, at, ']]>', 'text')
      case 'instruction':
        return this.instruction(piece, at)
      case 'xmlDeclaration':
      case 'instructionBody':
        return this.terminatedBy(piece, at, '?>', 'text')
      case 'doctype':
        return this.doctype(piece, at)
      case 'markup':
        return this.until(piece, at, />/g, () => this.enter('text'))
      case 'endTag':
        return this.until(piece, at, />/g, () => this.enter('text'))
      case 'elementName':
        return this.until(piece, at, /[\s/>]/g, found => this.enter(found === '>' ? 'text' : 'inTag'))
      case 'inTag':
        return this.inTag(piece, at)
      case 'attributeName':
        return this.until(piece, at, /[\s=/>]/g, found => this.enter(found === '>' ? 'text' : 'inTag'))
      case 'attributeValue':
        return this.until(piece, at, this.quote === '"' ? /["&]/g : /['&]/g, found =>
          this.enter(found === '&' ? 'attributeEntity' : 'inTag')
        )
    }
  }

  private enter(state: State): void {
    this.state = state
    this.length = 0
    this.carry = ''
  }

  /**
   * Counts characters up to the first match of `stop` (a global regular expression), then hands the
   * matched character to `then`; returns the position after it, or the end of the piece.
   */
  private until(piece: string, at: number, stop: RegExp, then: (found: string) => void): number {
    stop.lastIndex = at
    const match = stop.exec(piece)
    const end = match ? match.index : piece.length
    this.length += end - at
    if (!match) return end
    then(match[0])
    return end + 1
  }

  /** The character after `<` says what opens. */
  private opening(piece: string, at: number): number {
    const next = piece[at]
    if (next === '/') this.enter('endTag')
    else if (next === '?') {
      this.enter('instruction')
      this.target = ''
    } else if (next === '!') {
      this.enter('bang')
      this.bang = ''
    } else {
      this.enter('elementName')
      return at // the character is the name's first
    }
    return at + 1
  }

  private afterBang(piece: string, at: number): number {
    this.bang += piece[at]
    this.length++
    if (this.bang === '--') this.enter('comment')
    else if (this.bang === '[CDATA[') this.enter('cdata')
    else if (this.bang === 'DOCTYPE') {
      this.enter('doctype')
      this.doctypeBrackets = 0
      this.quote = ''
    } else if (!['--', '[CDATA[', 'DOCTYPE'].some(opening => opening.startsWith(this.bang))) {
      this.state = 'markup'
    }
    return at + 1
  }

  /** Content up to `terminator`, which may arrive split between two pieces. */
  private terminatedBy(piece: string, at: number, terminator: string, after: State): number {
    const window = this.carry + piece.slice(at)
    const found = window.indexOf(terminator)
    if (found === -1) {
      this.length += piece.length - at
      this.carry = window.slice(-(terminator.length - 1))
      return piece.length
    }
    const end = at + found - this.carry.length + terminator.length
    this.length += end - at
    this.enter(after)
    return end
  }

  /** `<?target …?>`: the target decides whether it is an XML declaration. */
  private instruction(piece: string, at: number): number {
    const stop = /[\s?]/g
    stop.lastIndex = at
    const match = stop.exec(piece)
    const end = match ? match.index : piece.length
    this.target += piece.slice(at, Math.min(end, at + 4)) // enough to tell `xml` from a longer name
    this.length += end - at
    if (!match) return end
    const length = this.length
    this.enter(this.target === 'xml' ? 'xmlDeclaration' : 'instructionBody')
    this.length = length
    if (match[0] === '?') this.carry = '?'
    return end + 1
  }

  private doctype(piece: string, at: number): number {
    for (let i = at; i < piece.length; i++) {
      const c = piece[i]
      this.length++
      if (this.quote) {
        if (c === this.quote) this.quote = ''
      } else if (c === '"' || c === "'") this.quote = c
      else if (c === '[') this.doctypeBrackets++
      else if (c === ']') this.doctypeBrackets--
      else if (c === '>' && this.doctypeBrackets <= 0) {
        this.enter('text')
        return i + 1
      }
    }
    return piece.length
  }

  /** Between the attributes of a start tag: spaces (never held), `=`, a quote, `/`, `>` or a name. */
  private inTag(piece: string, at: number): number {
    const c = piece[at]
    if (c === '>') this.enter('text')
    else if (c === '"' || c === "'") {
      this.enter('attributeValue')
      this.quote = c
    } else if (!/[\s=/]/.test(c as string)) {
      this.enter('attributeName')
      return at
    }
    return at + 1
  }
}

type State =
  | 'text'
  | 'entity'
  | 'open'
  | 'bang'
  | 'markup'
  | 'comment'
  | 'cdata'
  | 'instruction'
  | 'instructionBody'
  | 'xmlDeclaration'
  | 'doctype'
  | 'endTag'
  | 'elementName'
  | 'inTag'
  | 'attributeName'
  | 'attributeValue'
  | 'attributeEntity'

/** Where the parser holds text until the next tag: text and its entities, and CDATA. */
const HELD = new Set<State>(['text', 'entity', 'cdata'])

/** What each piece of markup is called in a message; text, CDATA and the spaces in a tag have no limit. */
const KIND: Partial<Record<State, string>> = {
  entity: 'an entity reference',
  attributeEntity: 'an entity reference',
  bang: 'a piece of markup',
  markup: 'a piece of markup',
  comment: 'a comment',
  instruction: 'a processing instruction',
  instructionBody: 'a processing instruction',
  xmlDeclaration: 'an XML declaration',
  doctype: 'a DOCTYPE declaration',
  endTag: 'an element name',
  elementName: 'an element name',
  attributeName: 'an attribute name',
  attributeValue: 'an attribute value'
}
