import { describe, expect, it } from '@jest/globals'
import {
  blockClosed,
  blockOpened,
  buildProblem,
  buildStatisticValue,
  importData,
  message
} from '../../../../src/cli/ci/teamcity.js'
import { randomText } from './random-text.js'

/** Reads the escaped value that starts at `from` (just after its opening quote), as TeamCity does. */
function readValue(line: string, from: number): { value: string; end: number } {
  let value = ''
  for (let i = from; i < line.length; i++) {
    const char = line[i]
    if (char === "'") return { value, end: i }
    if (char === '[' || char === ']') throw new Error(`raw ${char} at ${i} in ${line}`)
    if (char !== '|') {
      value += char
      continue
    }
    const next = line[++i]
    if (next === '0' && line[i + 1] === 'x' && /^[0-9A-Fa-f]{4}$/.test(line.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(line.slice(i + 2, i + 6), 16))
      i += 5
    } else if (next === 'n') value += '\n'
    else if (next === 'r') value += '\r'
    else if (next !== undefined && "|'[]".includes(next)) value += next
    else throw new Error(`bad escape |${next} at ${i} in ${line}`)
  }
  throw new Error(`unterminated value in ${line}`)
}

describe('escaping', () => {
  /** The escaped text of a message, as it stands between the quotes. */
  const escaped = (text: string): string =>
    message(text).slice("##teamcity[message text='".length, -"' status='NORMAL']".length)

  it('escapes a title holding every special character exactly', () => {
    expect(escaped("It's a |pipe| [x]\nnext\rline\u2028end")).toBe(
      "It|'s a ||pipe|| |[x|]|nnext|rline|0x2028end"
    )
  })

  it('escapes NEL and the paragraph separator, which can break a line, with their code', () => {
    expect(escaped('a\u0085b\u2029c')).toBe('a|0x0085b|0x2029c')
  })

  it('keeps the output ASCII: controls, other characters and each half of a surrogate pair get a code', () => {
    expect(escaped('\u0000\t\u001b[0m\u007fé😀')).toBe(
      '|0x0000|0x0009|0x001B|[0m|0x007F|0x00E9|0xD83D|0xDE00'
    )
  })

  it('leaves printable ASCII without special meaning alone', () => {
    expect(escaped('Plain text: 100% "ok" <b>#1</b> ~')).toBe('Plain text: 100% "ok" <b>#1</b> ~')
  })
})

describe('builders', () => {
  it('reports a build problem, cutting its description at 4000 characters', () => {
    expect(buildProblem('2 high findings', 'crashtest_gate')).toBe(
      "##teamcity[buildProblem description='2 high findings' identity='crashtest_gate']"
    )
    const line = buildProblem('x'.repeat(5000))
    const { value } = readValue(line, "##teamcity[buildProblem description='".length)
    expect(value).toBe(`${'x'.repeat(3999)}…`)
  })

  it('turns an identity into a Java identifier of at most 60 characters', () => {
    expect(buildProblem('p', '1 bad-id!')).toBe(
      "##teamcity[buildProblem description='p' identity='_1_bad_id_']"
    )
    expect(buildProblem('p', 'a'.repeat(80))).toContain(`identity='${'a'.repeat(60)}'`)
    expect(buildProblem('p', '')).toBe("##teamcity[buildProblem description='p']")
    expect(() => buildProblem('  ')).toThrow(RangeError)
  })

  it('reports statistic values as TeamCity reads them', () => {
    expect(buildStatisticValue('crashtest.high', 3)).toBe(
      "##teamcity[buildStatisticValue key='crashtest.high' value='3']"
    )
    expect(buildStatisticValue('k', 1.5)).toContain("value='1.5'")
    expect(buildStatisticValue('k', 2 / 3)).toContain("value='0.666667'")
    expect(buildStatisticValue('k', -0)).toContain("value='0'")
    expect(buildStatisticValue('k', -9_999_999_999_999)).toContain("value='-9999999999999'")
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 1e13, 1e21]) {
      expect(() => buildStatisticValue('k', bad)).toThrow(RangeError)
    }
    expect(() => buildStatisticValue(' ', 1)).toThrow(RangeError)
  })

  it('writes the other messages', () => {
    expect(importData('junit', 'reports/crashtest [1].xml')).toBe(
      "##teamcity[importData type='junit' path='reports/crashtest |[1|].xml']"
    )
    expect(blockOpened('Crashtest scan')).toBe("##teamcity[blockOpened name='Crashtest scan']")
    expect(blockClosed('Crashtest scan')).toBe("##teamcity[blockClosed name='Crashtest scan']")
    expect(message('done')).toBe("##teamcity[message text='done' status='NORMAL']")
    expect(message('Scan failed', 'ERROR')).toBe("##teamcity[message text='Scan failed' status='ERROR']")
  })
})

describe('a message built from any text', () => {
  const next = randomText(20240611)
  const samples = [
    "']\n##teamcity[buildStatus status='SUCCESS' text='pwned']",
    '|',
    '|0x',
    '\r\n\u0085\u2028\u2029',
    ...Array.from({ length: 2000 }, next)
  ]

  it('stays one line of printable ASCII, and reads back as the text', () => {
    for (const text of samples) {
      const line = message(text, 'WARNING')
      expect(line).toMatch(/^[ -~]*$/)
      const head = "##teamcity[message text='"
      expect(line.startsWith(head)).toBe(true)
      const { value, end } = readValue(line, head.length)
      expect(value).toBe(text)
      expect(line.slice(end)).toBe("' status='WARNING']")
    }
  })
})
