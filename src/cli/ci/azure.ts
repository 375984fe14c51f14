import { oneLine } from './plain-text.js'

export type IssueType = 'error' | 'warning'

const COMMAND_NAME = /^[A-Za-z]+\.[A-Za-z]+$/
const PROPERTY_NAME = /^[A-Za-z]+$/

/**
 * Escapes the message of a `##vso[` logging command as the agent unescapes it.
 *
 * `%` goes first, as `%AZP25`, so that text such as `%0A` in the message comes back unchanged: the
 * agent decodes `%AZP25` after the other sequences (unless a job sets `DECODE_PERCENTS` to false,
 * when `%AZP25` shows as it is, still harmless).
 */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%AZP25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

/** Escapes a property value, where `;` would end the property and `]` the command. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(';', '%3B').replaceAll(']', '%5D')
}

/**
 * Writes `##vso[area.action key=value;...]message` as one line.
 *
 * The agent takes the first `##vso[` on a line and the first `]` after it, so a `##vso[` inside the
 * escaped message is plain data, and with `\r` and `\n` escaped the message cannot start a new line.
 */
export function loggingCommand(name: string, properties: Record<string, string>, message: string): string {
  if (!COMMAND_NAME.test(name))
    throw new RangeError(`Not an Azure logging command name: ${JSON.stringify(name)}`)
  const pairs = Object.entries(properties).map(([key, value]) => {
    if (!PROPERTY_NAME.test(key))
      throw new RangeError(`Not an Azure logging command property: ${JSON.stringify(key)}`)
    return `${key}=${escapeProperty(value)}`
  })
  const head = pairs.length > 0 ? `${name} ${pairs.join(';')}` : name
  return `##vso[${head}]${escapeData(message)}`
}

/** Reports an error or a warning on the pipeline run's summary. */
export function logIssue(type: IssueType, message: string): string {
  return loggingCommand('task.logissue', { type }, message)
}

// The `##[...]` formatting commands have no escaping at all: their text must simply hold no line
// break, and no `##vso[`, which the agent would run wherever it appears in the line.

/** Writes a section heading in the log. */
export function section(name: string): string {
  return `##[section]${oneLine(name)}`
}

/** Opens a collapsible group of log lines. */
export function group(name: string): string {
  return `##[group]${oneLine(name)}`
}

export function endGroup(): string {
  return '##[endgroup]'
}
