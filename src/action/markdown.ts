import { clip } from '../engine/report/text.js'

/** An invisible character that keeps GitHub from reading `@name` as a mention (WORD JOINER). */
const NO_MENTION = '\u2060'

/**
 * Text from the report is untrusted: it must render as text, never as HTML, links to elsewhere, table
 * structure or a mention that notifies someone (a scanned site could otherwise page a person or a team
 * with every scan). Only what the summary's Markdown needs is escaped; `@name` still reads as it was.
 */
export function escapeCell(text: string, maxLength = 300): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const single = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
  return clip(single, maxLength)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#!])/g, '\\$1')
    .replace(MENTION, `$1@${NO_MENTION}`)
}

const MENTION = /(^|[^\p{L}\p{N}_])@(?=[\p{L}\p{N}])/gu

/** Plain text (an issue's title, say) that cannot mention anyone, on one line. */
export function plainLine(text: string, maxLength: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  return clip(text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim(), maxLength).replace(
    MENTION,
    `$1@${NO_MENTION}`
  )
}

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}
