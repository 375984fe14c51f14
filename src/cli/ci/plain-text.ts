import { clip } from '../../engine/report/text.js'

// Untrusted text (finding titles, messages from the scan service) is printed on CI logs, where a
// line can be read as a command. These helpers keep such text to one inert line.

// Control characters, NEL and the line/paragraph separators can end a line or drive the terminal
// (ESC and CSI start ANSI sequences).
const BREAKERS = /[\p{Cc}\p{Zl}\p{Zp}]+/gu
// Invisible format characters (zero-width, bidi overrides) could split a marker so that it slips
// past the check below, or make a line read differently from what it holds.
const INVISIBLE = /\p{Cf}/gu
// Azure's agent looks for `##vso[` anywhere in a line, not only at its start, GitHub's runner
// does the same for its legacy `##[` commands, and TeamCity for `##teamcity[`.
const MARKER = /#(?=#(?:vso|teamcity)?\[)/gi

/** Turns untrusted text into one line that no CI system reads as a command, at most `max` characters long. */
export function oneLine(text: string, max = 500): string {
  const flat = text.replace(BREAKERS, ' ').replace(INVISIBLE, '').replace(MARKER, '# ').trim()
  // GitHub's runner takes a line starting with `::` (after blanks) for a workflow command.
  return clip(flat.startsWith('::') ? `: ${flat.slice(1)}` : flat, max)
}
