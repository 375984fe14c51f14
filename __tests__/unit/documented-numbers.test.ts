import { describe, expect, it } from '@jest/globals'
import { documentedId, documentedNumber } from '../../src/engine/api/webhook-client.js'

describe('numbers the webhook API documents', () => {
  it.each([
    [102, 102],
    ['102', 102],
    ['0', 0],
    [101.5, 101.5]
  ])('reads %j as %j', (value, expected) => expect(documentedNumber(value)).toBe(expected))

  it.each([
    [' 102'],
    ['102 '],
    ['1e2'],
    ['-1'],
    ['0x66'],
    [''],
    ['done'],
    [null],
    [true],
    [NaN],
    [Infinity],
    [[102]]
  ])('leaves %j unread', value => expect(documentedNumber(value)).toBeUndefined())

  it('reads a scan id as a whole JSON number or a string of digits, keeping the digits as given', () => {
    expect(documentedId(4711)).toBe('4711')
    expect(documentedId('004711')).toBe('004711')
    for (const value of [4711.5, -1, '47a', '', ' 47', null, { id: 1 }])
      expect(documentedId(value)).toBeUndefined()
  })
})
