import { oneLine } from './plain-text.js'

export type IssueType = 'error' | 'warning'

/**
 * Escapes the message of a `##vso[` logging command as the agent unescapes it.
 *
 * `%` goes first, as `%AZP25`, so that text such as `%0A` in the message comes back unchanged: the
 * agent decodes `%AZP25` after the other sequences (unless a job sets `DECODE_PERCENTS` to false,
 * when `%AZP25` shows as it is, still harmless).
 */
function escapeData(text: string): string {
  return text.replaceAll('%', '%AZP25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

/**
 * Reports an error or a warning on the pipeline run's summary: `##vso[task.logissue type=…]message`, one
 * line. The agent takes the first `##vso[` on a line and the first `]` after it, so a `##vso[` inside the
 * escaped message is plain data, and with `\r` and `\n` escaped the message cannot start a new line.
 */
export function logIssue(type: IssueType, message: string): string {
  return `##vso[task.logissue type=${type}]${escapeData(message)}`
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
