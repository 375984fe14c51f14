import { clip } from '../../engine/report/text.js'

export type MessageStatus = 'NORMAL' | 'WARNING' | 'FAILURE' | 'ERROR'

// Limits from TeamCity's service message reference.
const DESCRIPTION_LIMIT = 4000
const IDENTITY_LIMIT = 60

const NEEDS_ESCAPE = /[|'[\]]|[^ -~]/g
const SHORT_ESCAPES: Record<string, string> = {
  '|': '||',
  "'": "|'",
  '[': '|[',
  ']': '|]',
  '\n': '|n',
  '\r': '|r'
}

/**
 * Escapes a service message value.
 *
 * Besides the six characters with short escapes, every UTF-16 unit outside printable ASCII becomes
 * `|0xNNNN`. That covers NEL, U+2028 and U+2029, which would otherwise break the line, and keeps
 * the message pure ASCII, so an agent that decodes the output in a legacy code page cannot garble it.
 */
function escapeTeamcity(value: string): string {
  return value.replace(
    NEEDS_ESCAPE,
    char => SHORT_ESCAPES[char] ?? `|0x${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
  )
}

/** Writes `##teamcity[name key='value' ...]`; the names are this module's own, only the values are escaped. */
function serviceMessage(name: string, attributes: Record<string, string>): string {
  const pairs = Object.entries(attributes).map(([key, value]) => ` ${key}='${escapeTeamcity(value)}'`)
  return `##teamcity[${name}${pairs.join('')}]`
}

/**
 * Fails the build with a problem shown on its results page.
 *
 * TeamCity would cut a description past 4000 characters itself; cutting here keeps the `…`. An
 * identity must be a Java identifier of at most 60 characters, and the same problem must keep the
 * same identity from build to build, so other characters become `_`: keep identities short, as a
 * cut one can meet another.
 */
export function buildProblem(description: string, identity?: string): string {
  if (description.trim() === '') throw new RangeError('A TeamCity build problem needs a description')
  const attributes: Record<string, string> = { description: clip(description, DESCRIPTION_LIMIT) }
  const id = identity === undefined ? '' : javaIdentifier(identity)
  if (id !== '') attributes.identity = id
  return serviceMessage('buildProblem', attributes)
}

/** Reports a value for the build's statistics charts. */
export function buildStatisticValue(key: string, value: number): string {
  if (key.trim() === '') throw new RangeError('A TeamCity statistic needs a key')
  return serviceMessage('buildStatisticValue', { key, value: statisticNumber(value) })
}

/** Asks the agent to import a report; TeamCity wants `path` relative to the checkout directory. */
export function importData(type: 'junit', path: string): string {
  return serviceMessage('importData', { type, path })
}

export function blockOpened(name: string): string {
  return serviceMessage('blockOpened', { name })
}

export function blockClosed(name: string): string {
  return serviceMessage('blockClosed', { name })
}

/** Writes a line to the build log; an `ERROR` can fail the build, depending on its failure conditions. */
export function message(text: string, status: MessageStatus = 'NORMAL'): string {
  return serviceMessage('message', { text, status })
}

function javaIdentifier(text: string): string {
  const id = text.replace(/[^A-Za-z0-9_$]/g, '_')
  return (/^[0-9]/.test(id) ? `_${id}` : id).slice(0, IDENTITY_LIMIT)
}

// TeamCity takes integers of up to 13 digits and decimals with up to 6 places.
function statisticNumber(value: number): string {
  const text = Number.isFinite(value) ? value.toFixed(6).replace(/\.?0+$/, '') : String(value)
  const number = text === '-0' ? '0' : text
  if (!/^-?\d{1,13}(\.\d{1,6})?$/.test(number)) {
    throw new RangeError(`TeamCity cannot chart ${value}: it takes up to 13 digits and 6 decimals`)
  }
  return number
}
