import { Ajv, type ErrorObject } from 'ajv'
import { Minimatch } from 'minimatch'
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml'
import { scannerName, titleWithoutCounter, type Finding } from '../report/findings.js'
import { normaliseUrl, urlInMessage } from '../report/fingerprint.js'
import schema from './suppressions.schema.json' with { type: 'json' }

/** One entry of the suppressions file, its values as written (trimmed): the findings it accepts, and why. */
export interface Suppression {
  /** Line of the entry in the file (1-based), to name it in messages. */
  line: number
  fingerprint?: string
  /** With or without `.crashtest.cloud`. */
  scanner?: string
  /** Without the running counter, though one copied with it is ignored. */
  title?: string
  /** A glob on the finding's URL (see `matchesUrl`). */
  url?: string
  reason: string
  /** YYYY-MM-DD: from this day on (UTC) the entry no longer applies. */
  expires?: string
}

/** Raised for a suppressions file that cannot be used; each problem names its line. */
export class SuppressionsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'))
    this.name = 'SuppressionsError'
  }
}

type RawEntry = Omit<Suppression, 'line'>

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const KEYS = Object.keys(schema.definitions.entry.properties)

// strictRequired off: the anyOf alternatives name keys defined beside them, which is what they are for.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true })
ajv.addFormat('date', { type: 'string', validate: isCalendarDate })
const validate = ajv.compile<{ suppressions: RawEntry[] }>(schema)

/**
 * Reads the text of a suppressions file. Pure. Every scalar is read as a string (the YAML failsafe
 * schema), so a fingerprint of digits only or a date stays exactly as written. Throws a
 * SuppressionsError listing every problem with its line.
 */
export function parseSuppressions(text: string): Suppression[] {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, schema: 'failsafe', prettyErrors: true })
  const lineOf = (offset: number | undefined): number => lineCounter.linePos(offset ?? 0).line

  if (document.errors.length > 0) {
    throw new SuppressionsError(
      document.errors.map(error => {
        const at = error.linePos?.[0]
        const what =
          error.code === 'MULTIPLE_DOCS'
            ? 'the file holds more than one YAML document; keep every entry in one `suppressions:` list'
            : error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '')
        return at ? `line ${at.line}, column ${at.col}: ${what}` : what
      })
    )
  }
  if (document.contents === null) {
    throw new SuppressionsError(['line 1: the file is empty; it must hold a `suppressions:` list'])
  }
  const data: unknown = document.toJS()
  if (!validate(data)) {
    throw new SuppressionsError(describeSchemaErrors(validate.errors ?? [], document, lineOf))
  }
  return data.suppressions.map((entry, index) => {
    const node = document.getIn(['suppressions', index], true) as Node | undefined
    return toSuppression(entry, lineOf(node?.range?.[0]))
  })
}

function toSuppression(entry: RawEntry, line: number): Suppression {
  const suppression: Suppression = { line, reason: entry.reason.trim() }
  for (const key of ['fingerprint', 'scanner', 'title', 'url', 'expires'] as const) {
    const value = entry[key]?.trim()
    if (value !== undefined) suppression[key] = value
  }
  return suppression
}

function normaliseScanner(scanner: string): string {
  return scannerName(scanner.trim().toLowerCase())
}

function normaliseTitle(title: string): string {
  return titleWithoutCounter(title).replace(/\s+/g, ' ').trim().toLowerCase()
}

/**
 * True when every matcher the entry gives matches the finding. A `url` glob is tried against the URL the
 * message names, both without their scheme (messages do not always give one): the URL as the message
 * writes it, and normalised as in the fingerprint (lower-case host, no default port, path decoded, query
 * names only). Either form matching is enough. `*` stays within one path segment, `**` crosses segments;
 * case is ignored. A message that names no URL matches no glob.
 */
export function matches(suppression: Suppression, finding: Finding): boolean {
  return (
    (suppression.fingerprint === undefined ||
      suppression.fingerprint.toLowerCase() === finding.fingerprint) &&
    (suppression.scanner === undefined ||
      normaliseScanner(suppression.scanner) === normaliseScanner(finding.scanner)) &&
    (suppression.title === undefined ||
      normaliseTitle(suppression.title) === normaliseTitle(finding.title)) &&
    (suppression.url === undefined || matchesAnyForm(suppression.url, urlFormsOf(finding)))
  )
}

function matchesAnyForm(glob: string, forms: string[]): boolean {
  const matcher = compiledGlob(glob)
  return forms.some(form => matcher.match(form))
}

function urlForms(message: string): string[] {
  const raw = urlInMessage(message)
  return raw ? [raw.replace(SCHEME, ''), normaliseUrl(raw)] : []
}

// Found once per finding, as every entry with a `url` is tried against every finding of the report.
const urlFormsByFinding = new WeakMap<Finding, string[]>()

function urlFormsOf(finding: Finding): string[] {
  let forms = urlFormsByFinding.get(finding)
  if (!forms) {
    forms = urlForms(finding.message)
    urlFormsByFinding.set(finding, forms)
  }
  return forms
}

// Compiled once per glob, for the same reason.
const compiledGlobs = new Map<string, Minimatch>()

function compiledGlob(glob: string): Minimatch {
  let matcher = compiledGlobs.get(glob)
  if (!matcher) {
    const options = { nocase: true, dot: true, nocomment: true, nonegate: true, platform: 'linux' } as const
    matcher = new Minimatch(glob.replace(SCHEME, ''), options)
    compiledGlobs.set(glob, matcher)
  }
  return matcher
}

/** From the day of `expires` on (in UTC) the entry no longer applies. */
export function isExpired(suppression: Suppression, now: Date): boolean {
  return suppression.expires !== undefined && now.toISOString().slice(0, 10) >= suppression.expires
}

/** Names an entry in messages: its line, what it matches, and its reason. */
export function describeSuppression(suppression: Suppression): string {
  const matchers = (['fingerprint', 'scanner', 'title', 'url'] as const)
    .filter(key => suppression[key] !== undefined)
    .map(key => `${key} ${suppression[key]}`)
  const expiry = suppression.expires ? `, expires ${suppression.expires}` : ''
  return `line ${suppression.line} (${matchers.join(', ')}${expiry}): ${suppression.reason}`
}

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** Schema errors in words, each with the line of the YAML node it concerns. */
function describeSchemaErrors(
  errors: ErrorObject[],
  document: Document,
  lineOf: (offset: number | undefined) => number
): string[] {
  // The alternatives of an anyOf each fail with their own `required`; the anyOf error says it once.
  const relevant = errors.filter(error => !error.schemaPath.includes('/anyOf/'))
  const problems = relevant.map(error => {
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map(segment =>
        /^\d+$/.test(segment) ? Number(segment) : segment.replace(/~1/g, '/').replace(/~0/g, '~')
      )
    const node = path.length === 0 ? document.contents : (document.getIn(path, true) as Node | undefined)
    let offset = node?.range?.[0]
    if (error.keyword === 'additionalProperties' && isMap(node)) {
      const key = (error.params as { additionalProperty: string }).additionalProperty
      const pair = node.items.find(item => isPair(item) && isScalar(item.key) && item.key.value === key)
      offset = (pair?.key as Node | undefined)?.range?.[0] ?? offset
    }
    return `line ${lineOf(offset)}: ${explain(error, path)}`
  })
  return [...new Set(problems)]
}

function explain(error: ErrorObject, path: (string | number)[]): string {
  const entryIndex = path[0] === 'suppressions' && typeof path[1] === 'number' ? path[1] : undefined
  const entry = entryIndex === undefined ? '' : `entry ${entryIndex + 1} of \`suppressions\``
  const key = path.length > 2 ? String(path[2]) : undefined
  const value = (error.data as unknown) ?? ''
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty
      if (path.length === 0) return 'the file must hold a `suppressions:` list'
      return missing === 'reason'
        ? `${entry} has no \`reason\`: say why the finding is accepted`
        : `${entry} has no \`${missing}\``
    }
    case 'anyOf':
      return `${entry} gives none of \`fingerprint\`, \`scanner\`, \`title\`, \`url\`: an entry needs at least one to match findings`
    case 'additionalProperties': {
      const unknown = (error.params as { additionalProperty: string }).additionalProperty
      const where = entry || 'the file'
      const allowed = entry ? KEYS : ['suppressions']
      return `${where} has an unknown key \`${unknown}\` (known: ${allowed.map(k => `\`${k}\``).join(', ')})`
    }
    case 'type': {
      const expected = (error.params as { type: string }).type
      const what = expected === 'array' ? 'a list' : expected === 'object' ? 'a mapping' : 'a single value'
      if (path.length === 0) return 'the file must be a mapping with a `suppressions:` list'
      if (key) return `\`${key}\` of ${entry} must be ${what}`
      if (entry) return `${entry} must be ${what} of keys such as \`fingerprint\` and \`reason\``
      return `\`suppressions\` must be ${what} of entries (\`suppressions: []\` for none)`
    }
    case 'pattern':
      if (key === 'fingerprint') {
        return `\`fingerprint\` of ${entry} must be 16 hexadecimal characters as the summary prints them; got '${String(value)}'`
      }
      return `\`${key}\` of ${entry} must not be empty`
    case 'format':
      return `\`expires\` of ${entry} must be a date written YYYY-MM-DD; got '${String(value)}'`
    default:
      return `${entry || 'the file'}${key ? ` \`${key}\`` : ''} ${error.message ?? 'is not valid'}`
  }
}
