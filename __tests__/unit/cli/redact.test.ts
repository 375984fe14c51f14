import { describe, expect, it } from '@jest/globals'
import { Redactor } from '../../../src/cli/redact.js'

const redactorOf = (...secrets: string[]) => {
  const redactor = new Redactor()
  for (const secret of secrets) redactor.add(secret)
  return redactor
}

describe('Redactor', () => {
  it('hides every occurrence of a secret', () => {
    expect(redactorOf('s3cr3t').redact('s3cr3t, s3cr3t and s3cr3ts3cr3t')).toBe('***, *** and ******')
  })

  it('hides a secret in a URL path', () => {
    expect(redactorOf('AbC123').redact('POST https://h/webhook/AbC123 failed')).toBe(
      'POST https://h/webhook/*** failed'
    )
  })

  it('hides the URL-encoded form of a secret', () => {
    const secret = 'p@ss/wo rd+&?'
    expect(redactorOf(secret).redact(`https://h/webhook/${encodeURIComponent(secret)}?x=1`)).toBe(
      'https://h/webhook/***?x=1'
    )
  })

  it('hides the JSON-escaped form of a secret', () => {
    const secret = 'a"b\\c\nd\te'
    const json = JSON.stringify({ token: secret })
    expect(json).not.toContain(secret)
    expect(redactorOf(secret).redact(json)).toBe('{"token":"***"}')
  })

  it('hides a secret that contains another one completely, whatever the order of registration', () => {
    for (const redactor of [redactorOf('CRE', 'SECRET'), redactorOf('SECRET', 'CRE')]) {
      expect(redactor.redact('a SECRET and a CRE')).toBe('a *** and a ***')
    }
  })

  it('hides overlapping secrets with one mask, leaving no tail of either', () => {
    expect(redactorOf('abcd', 'cdef').redact('xabcdefx')).toBe('x***x')
    expect(redactorOf('aba').redact('ababa')).toBe('***')
  })

  it('treats regular expression metacharacters literally', () => {
    const secret = '.*+?^${}()|[]\\/'
    const redactor = redactorOf(secret)
    expect(redactor.redact(`before ${secret} after`)).toBe('before *** after')
    expect(redactor.redact('nothing to see here')).toBe('nothing to see here')
  })

  it('ignores empty and blank secrets', () => {
    const redactor = redactorOf('', '   ', '\n\t')
    expect(redactor.redact('a b\n\tc')).toBe('a b\n\tc')
  })

  it('keeps empty text empty and text without secrets as it is', () => {
    expect(redactorOf('secret').redact('')).toBe('')
    expect(new Redactor().redact('plain text')).toBe('plain text')
  })

  it('accepts a secret holding a lone surrogate', () => {
    expect(redactorOf('ab\uD800').redact('xab\uD800y')).toBe('x***y')
  })
})
