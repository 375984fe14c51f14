import { oneLine } from './plain-text.js'

// GitLab reads a section marker only with these erase-line sequences around it.
const ERASE_LINE = '\u001b[0K'
// GitLab ignores a marker whose section name holds any other character.
const SECTION_ID = /^[A-Za-z0-9_.-]+$/

/** Opens a collapsible section of a GitLab job log; its header shows `title`. */
export function sectionStart(id: string, title: string, now: Date, collapsed = true): string {
  const options = collapsed ? '[collapsed=true]' : ''
  return `${ERASE_LINE}section_start:${unixSeconds(now)}:${checkedId(id)}${options}\r${ERASE_LINE}${oneLine(title)}`
}

/** Closes the section opened under the same `id`. */
export function sectionEnd(id: string, now: Date): string {
  return `${ERASE_LINE}section_end:${unixSeconds(now)}:${checkedId(id)}\r${ERASE_LINE}`
}

function checkedId(id: string): string {
  if (!SECTION_ID.test(id))
    throw new RangeError(`A GitLab section id holds only letters, digits, _, . and -: ${JSON.stringify(id)}`)
  return id
}

function unixSeconds(now: Date): number {
  const ms = now.getTime()
  if (Number.isNaN(ms)) throw new RangeError('A GitLab section needs a valid date')
  return Math.floor(ms / 1000)
}
