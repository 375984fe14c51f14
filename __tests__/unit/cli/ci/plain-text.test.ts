import { describe, expect, it } from '@jest/globals'
import { oneLine } from '../../../../src/cli/ci/plain-text.js'
import { clip } from '../../../../src/engine/report/text.js'
import { randomText } from './random-text.js'

/** Fails when `text`, printed alone or after other text on a log line, could do more than show. */
function expectInert(text: string): void {
  expect(text).not.toMatch(/[\p{Cc}\p{Zl}\p{Zp}\p{Cf}]/u)
  expect(text).not.toMatch(/##(?:vso|teamcity)?\[/i)
  expect(text).not.toMatch(/^\s*::/)
}

describe('oneLine', () => {
  it.each([
    ['a line break', 'Title\n::error::pwned'],
    ['a carriage return', 'ok\r::warning file=x::pwned'],
    ['a workflow command at the start', '::set-output name=x::y'],
    ['a workflow command after blanks', '  \t::add-mask::x'],
    ['an Azure command inside the text', 'see ##vso[task.setvariable variable=X]1'],
    ['an Azure formatting command', '##[error]fake'],
    ['an Azure command in upper case', '##VSO[task.complete result=Succeeded]'],
    ['a TeamCity message', "x ##teamcity[buildStatus status='SUCCESS' text='ok']"],
    ['a marker split by an invisible character', '##\u200Bvso[task.complete]'],
    ['a marker split by a soft hyphen', "#\u00AD#teamcity[message text='x']"],
    ['an ANSI sequence', '\u001b[2J\u001b[31mred\u001b[0m'],
    ['a C1 control sequence introducer', '\u009b31mred'],
    ['Unicode line breaks', 'a\u0085b\u2028c\u2029d'],
    ['a bidi override', 'abc\u202Eevil'],
    ['a GitLab section marker', '\u001b[0Ksection_start:1:x\r\u001b[0Kfake'],
    [
      'every C0 control and DEL',
      Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('x') + '\u007f'
    ]
  ])('neutralises %s', (_what, hostile) => {
    expectInert(oneLine(hostile))
  })

  it('turns line breaks and control characters into a single space and trims the ends', () => {
    expect(oneLine('  first\r\n\tsecond\u001b[0m third \n')).toBe('first second [0m third')
  })

  it('keeps ordinary text, including non-ASCII, as it is', () => {
    expect(oneLine('SQL injection in /login — parameter ’id’ (CWE-89) #1 [high] a:b')).toBe(
      'SQL injection in /login — parameter ’id’ (CWE-89) #1 [high] a:b'
    )
  })

  it('breaks markers visibly and minimally', () => {
    expect(oneLine('a ##vso[x] b ##[y] c ##teamcity[z] d ## e')).toBe(
      'a # #vso[x] b # #[y] c # #teamcity[z] d ## e'
    )
    expect(oneLine('::error::x')).toBe(': :error::x')
  })

  it('cuts long text with …, within the limit and never inside a surrogate pair', () => {
    expect(oneLine('a'.repeat(600))).toBe(`${'a'.repeat(499)}…`)
    expect(oneLine('abcdef', 4)).toBe('abc…')
    expect(oneLine('abcd', 4)).toBe('abcd')
    expect(oneLine('😀😀😀', 2)).toBe('😀…')
    expect(oneLine('')).toBe('')
  })

  it('keeps any text inert and within the limit', () => {
    const next = randomText(42)
    for (let i = 0; i < 3000; i++) {
      const max = 1 + (i % 80)
      const line = oneLine(next(), max)
      expectInert(line)
      expect(Array.from(line).length).toBeLessThanOrEqual(max)
    }
  })
})

describe('clip', () => {
  it('refuses a limit that is not a positive integer', () => {
    for (const max of [0, -1, 1.5, Number.NaN]) expect(() => clip('x', max)).toThrow(RangeError)
  })
})
