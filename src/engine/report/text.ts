// Text helpers shared by everything that shows or files report text.

/**
 * At most `max` characters, counted as code points, so that a character outside the Basic Multilingual
 * Plane (an emoji, two UTF-16 units) is never cut in half; a cut text ends in `…`, within the `max`.
 * Looks at no more than `max + 1` characters, however long the text.
 */
export function clip(text: string, max: number): string {
  if (!Number.isInteger(max) || max < 1)
    throw new RangeError(`A text limit must be a positive integer, not ${max}`)
  if (text.length <= max) return text
  let count = 0
  let index = 0
  let endOfKept = 0
  for (const character of text) {
    if (count === max - 1) endOfKept = index
    if (++count > max) return `${text.slice(0, endOfKept)}…`
    index += character.length
  }
  return text
}

/** `text` percent-decoded, or as it stands where its percent-encoding is broken (`%zz`). */
export function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/**
 * A URL part (a path segment, a query name) percent-encoded once, whether it came decoded or encoded:
 * `café`, `caf%C3%A9` and `caf%c3%a9` all become `caf%C3%A9`.
 */
export function percentEncodedOnce(part: string): string {
  return encodeURIComponent(percentDecoded(part))
}
