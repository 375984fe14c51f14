import { describe, expect, it } from '@jest/globals'
import { prettyJsonPieces } from '../../src/engine/files/json-text.js'

const whole = (document: Record<string, unknown>, path: (string | number)[], items: unknown[]) =>
  [...prettyJsonPieces(document, path, items)].join('')

describe('prettyJsonPieces', () => {
  const items = [{ a: 1, b: ['x', { c: 'é "quoted"\n' }] }, 'plain', 3, null, [], {}]

  it.each([
    ['a top-level array, with items', { first: true, list: [], last: { z: 1 } }, ['list'], items],
    ['a top-level array, empty', { list: [], after: 'x' }, ['list'], []],
    [
      'an array deep inside, with items',
      { runs: [{ tool: 'x', results: [] }] },
      ['runs', 0, 'results'],
      items
    ],
    ['an array deep inside, empty', { runs: [{ results: [], tail: [1] }] }, ['runs', 0, 'results'], []]
  ])('writes exactly what JSON.stringify(…, null, 2) writes: %s', (_what, document, path, list) => {
    const expected = structuredClone(document) as Record<string, unknown>
    let holder: Record<string | number, unknown> = expected
    for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>
    holder[path.at(-1)!] = list
    expect(whole(document, path, list)).toBe(`${JSON.stringify(expected, null, 2)}\n`)
  })

  it('makes the items only as their pieces are asked for, in pieces of some 64 KiB', () => {
    let made = 0
    const lazy = (function* () {
      for (; made < 1000;) yield { made: ++made, text: 'x'.repeat(1000) }
    })()
    const pieces = prettyJsonPieces({ list: [] }, ['list'], lazy)
    pieces.next()
    expect(made).toBe(0)
    const first = pieces.next().value as string
    expect(first.length).toBeGreaterThanOrEqual(64 * 1024)
    expect(made).toBeLessThan(100)
  })

  it('refuses a path that names no value', () => {
    expect(() => whole({ list: [] }, ['other'], [])).toThrow('no array at other')
  })
})
