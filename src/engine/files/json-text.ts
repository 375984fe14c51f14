const PIECE_CHARS = 64 * 1024
/** Stands in for an array while the rest is stringified: no text read from XML can hold a NUL. */
const marker = (index: number): string => `\u0000streamed items ${index}\u0000`

/** An array of `document` whose items come from `items`, one at a time. */
export interface StreamedArray {
  path: readonly (string | number)[]
  items: Iterable<unknown>
}

/**
 * `JSON.stringify(document, null, 2)` and a final newline, in pieces: the array at `path` (which
 * `document` holds as `[]`) is taken from `items` and turned into text one item at a time. A file of
 * tens of thousands of findings is thus written without its whole text, or all its items, in memory at
 * once. Pure.
 */
export function prettyJsonPieces(
  document: Record<string, unknown>,
  path: readonly (string | number)[],
  items: Iterable<unknown>
): Generator<string> {
  return prettyJsonStreams(document, [{ path, items }])
}

/** As prettyJsonPieces, with several arrays streamed (the results of each run of a SARIF log). Pure. */
export function* prettyJsonStreams(
  document: Record<string, unknown>,
  streams: readonly StreamedArray[]
): Generator<string> {
  const marked = streams.reduce<unknown>(
    (value, { path }, index) => withValueAt(value, path, marker(index)),
    document
  )
  const text = JSON.stringify(marked, null, 2)
  const places = streams.map(({ path, items }, index) => {
    const quoted = JSON.stringify(marker(index))
    const at = text.indexOf(quoted)
    if (at < 0 || text.indexOf(quoted, at + 1) >= 0) throw new Error(`no single array at ${path.join('.')}`)
    return { at, end: at + quoted.length, items }
  })
  places.sort((a, b) => a.at - b.at)
  let from = 0
  for (const { at, end, items } of places) {
    const lineStart = text.lastIndexOf('\n', at) + 1
    const indent = ' '.repeat(text.slice(lineStart).search(/\S/))
    yield `${text.slice(from, at)}[`
    yield* arrayItems(items, indent)
    from = end
  }
  yield `${text.slice(from)}\n`
}

function* arrayItems(items: Iterable<unknown>, indent: string): Generator<string> {
  const itemIndent = `\n${indent}  `
  let count = 0
  let batch = ''
  for (const item of items) {
    batch += `${count++ > 0 ? ',' : ''}${itemIndent}${JSON.stringify(item, null, 2).replaceAll('\n', itemIndent)}`
    // Pieces of some 64 KiB: each piece is one write, and one per item would make thousands of them.
    if (batch.length >= PIECE_CHARS) {
      yield batch
      batch = ''
    }
  }
  yield `${batch}${count > 0 ? `\n${indent}` : ''}]`
}

function withValueAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement
  const [key, ...rest] = path as [string | number, ...(string | number)[]]
  if (Array.isArray(value)) {
    return value.map((item, index) => (index === key ? withValueAt(item, rest, replacement) : item))
  }
  const object = value as Record<string, unknown>
  if (!(key in object)) throw new Error(`no array at ${path.join('.')}`)
  return { ...object, [key]: withValueAt(object[key], rest, replacement) }
}
