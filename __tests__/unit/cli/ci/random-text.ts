// Seeded random strings for the property tests of the CI log helpers: repeatable, and rich in
// the characters and markers that could break a log line.

const PIECES = [
  ...Array.from({ length: 0x80 }, (_, code) => String.fromCharCode(code)),
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i)),
  '\u2028',
  '\u2029',
  '\u200B',
  '\u202E',
  '\uFEFF',
  '\u00AD',
  'é',
  '’',
  '…',
  '😀',
  '\uD800',
  '\r\n',
  '##teamcity[',
  '##vso[',
  '##[',
  '::error::',
  '%0A',
  '%AZP25',
  '|0x',
  '\u001b[31m',
  'section_start:1:x\r\u001b[0K'
]

/** Returns a function making pseudo-random strings of up to `maxPieces` pieces (mulberry32). */
export function randomText(seed: number, maxPieces = 40): () => string {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return () => {
    const length = Math.floor(next() * (maxPieces + 1))
    return Array.from({ length }, () => PIECES[Math.floor(next() * PIECES.length)]).join('')
  }
}
