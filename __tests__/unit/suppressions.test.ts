import { describe, expect, it } from '@jest/globals'
import {
  isExpired,
  matches,
  parseSuppressions,
  SuppressionsError,
  type Suppression
} from '../../src/engine/policy/suppressions.js'
import type { Finding } from '../../src/engine/report/findings.js'
import { fingerprint, locate } from '../../src/engine/report/fingerprint.js'

function finding(overrides: Partial<Pick<Finding, 'scanner' | 'title' | 'message'>> = {}): Finding {
  const base = {
    scanner: 'xss',
    title: 'Cross-Site Scripting (XSS)',
    message: "Reflected XSS in parameter 'q' of https://staging.example.com/legacy/search?q=<svg>",
    ...overrides
  }
  return {
    ...base,
    severity: 'high',
    reportedType: 'high',
    fingerprint: fingerprint(base),
    ...locate(base.message)
  }
}

/** The problems a malformed file is refused with. */
function problemsOf(text: string): string[] {
  try {
    parseSuppressions(text)
  } catch (error) {
    if (error instanceof SuppressionsError) return error.problems
    throw error
  }
  throw new Error('the file was accepted')
}

const ISSUE_EXAMPLE = `suppressions:
  - fingerprint: 3f2a9c41d0e6b7a8     # exactly as the summary prints it
    reason: Accepted risk, tracked in SEC-12
    expires: 2027-03-31              # optional; from that day on the entry no longer applies
  - scanner: xss.crashtest.cloud      # the classname, with or without .crashtest.cloud
    title: Cross-Site Scripting (XSS) # the title without its running counter
    url: https://staging.example.com/legacy/*   # optional glob on the finding's URL
    reason: Legacy page, removed in Q1
`

describe('parseSuppressions', () => {
  it('reads the documented example, with the line of every entry', () => {
    expect(parseSuppressions(ISSUE_EXAMPLE)).toEqual([
      {
        line: 2,
        fingerprint: '3f2a9c41d0e6b7a8',
        reason: 'Accepted risk, tracked in SEC-12',
        expires: '2027-03-31'
      },
      {
        line: 5,
        scanner: 'xss.crashtest.cloud',
        title: 'Cross-Site Scripting (XSS)',
        url: 'https://staging.example.com/legacy/*',
        reason: 'Legacy page, removed in Q1'
      }
    ])
  })

  it('keeps a fingerprint of digits only as written, not as a number', () => {
    const [digits] = parseSuppressions('suppressions:\n  - fingerprint: 0012345678901234\n    reason: a\n')
    expect(digits?.fingerprint).toBe('0012345678901234')
  })

  it('accepts an empty list and flow style', () => {
    expect(parseSuppressions('suppressions: []\n')).toEqual([])
    expect(parseSuppressions('suppressions: [{scanner: ssl, reason: "internal only"}]')).toEqual([
      { line: 1, scanner: 'ssl', reason: 'internal only' }
    ])
  })
})

describe('a malformed suppressions file is refused with the line and what is wrong', () => {
  it.each([
    [
      'not YAML',
      'suppressions:\n  - scanner: xss\n    reason: r: s\n',
      'line 3, column 13: Nested mappings are not allowed in compact mappings'
    ],
    [
      'tabs as indentation',
      'suppressions:\n\t- scanner: xss\n',
      'line 2, column 1: Tabs are not allowed as indentation'
    ],
    [
      'a duplicate key',
      'suppressions:\n  - scanner: xss\n    reason: a\n    reason: b\n',
      'line 4, column 5: Map keys must be unique'
    ],
    [
      'two documents',
      'suppressions: []\n---\nsuppressions: []\n',
      'line 2, column 1: the file holds more than one YAML document'
    ],
    ['an empty file', '# nothing yet\n', 'line 1: the file is empty; it must hold a `suppressions:` list'],
    [
      'a list at the top',
      '- scanner: xss\n  reason: r\n',
      'line 1: the file must be a mapping with a `suppressions:` list'
    ],
    [
      'a misspelt top key',
      'supressions:\n  - scanner: xss\n',
      'line 1: the file must hold a `suppressions:` list'
    ],
    [
      'suppressions not a list',
      'suppressions:\n  scanner: xss\n',
      'line 2: `suppressions` must be a list of entries'
    ],
    [
      'an entry that is not a mapping',
      'suppressions:\n  - 3f2a9c41d0e6b7a8\n',
      'line 2: entry 1 of `suppressions` must be a mapping'
    ],
    [
      'an entry without a reason',
      'suppressions:\n  - scanner: ssl\n    reason: r\n  - scanner: xss\n',
      'line 4: entry 2 of `suppressions` has no `reason`: say why the finding is accepted'
    ],
    [
      'an empty reason',
      'suppressions:\n  - scanner: xss\n    reason:\n',
      'line 3: `reason` of entry 1 of `suppressions` must not be empty'
    ],
    [
      'no matcher',
      'suppressions:\n  - reason: all of it\n',
      'line 2: entry 1 of `suppressions` gives none of `fingerprint`, `scanner`, `title`, `url`'
    ],
    [
      'an unknown key',
      'suppressions:\n  - scanner: xss\n    reason: r\n    fingerprnt: 3f2a9c41d0e6b7a8\n',
      'line 4: entry 1 of `suppressions` has an unknown key `fingerprnt`'
    ],
    [
      'a short fingerprint',
      'suppressions:\n  - fingerprint: 3f2a9c41\n    reason: r\n',
      "line 2: `fingerprint` of entry 1 of `suppressions` must be 16 hexadecimal characters as the summary prints them; got '3f2a9c41'"
    ],
    [
      'a list as a value',
      'suppressions:\n  - scanner: [xss, ssl]\n    reason: r\n',
      'line 2: `scanner` of entry 1 of `suppressions` must be a single value'
    ],
    [
      'a date that does not exist',
      'suppressions:\n  - scanner: xss\n    reason: r\n    expires: 2027-02-30\n',
      "line 4: `expires` of entry 1 of `suppressions` must be a date written YYYY-MM-DD; got '2027-02-30'"
    ],
    [
      'a date in another format',
      'suppressions:\n  - scanner: xss\n    reason: r\n    expires: 31.03.2027\n',
      "got '31.03.2027'"
    ]
  ])('%s', (_, text, expected) => {
    expect(problemsOf(text).join('\n')).toContain(expected)
  })

  it('lists every problem of the file at once', () => {
    const problems = problemsOf(
      'suppressions:\n  - scanner: xss\n  - fingerprint: nothex\n    reason: r\n  - reason: r\n    expires: soon\n'
    )
    expect(problems).toEqual([
      'line 2: entry 1 of `suppressions` has no `reason`: say why the finding is accepted',
      "line 3: `fingerprint` of entry 2 of `suppressions` must be 16 hexadecimal characters as the summary prints them; got 'nothex'",
      'line 5: entry 3 of `suppressions` gives none of `fingerprint`, `scanner`, `title`, `url`: an entry needs at least one to match findings',
      "line 6: `expires` of entry 3 of `suppressions` must be a date written YYYY-MM-DD; got 'soon'"
    ])
  })
})

const entry = (fields: Partial<Suppression>): Suppression => ({ line: 1, reason: 'r', ...fields })
/** Whether an entry of only this URL glob matches a finding of this message. */
const matchesUrl = (glob: string, message: string): boolean =>
  matches(entry({ url: glob }), finding({ message }))
const parsedEntry = (yaml: string): Suppression => {
  const [first] = parseSuppressions(`suppressions:\n  - ${yaml}\n    reason: r\n`)
  if (!first) throw new Error('no entry')
  return first
}

describe('matchers', () => {
  const xss = finding()

  it('fingerprint: the exact fingerprint, in either case', () => {
    expect(matches(parsedEntry(`fingerprint: ${xss.fingerprint.toUpperCase()}`), xss)).toBe(true)
    expect(matches(parsedEntry('fingerprint: 0000000000000000'), xss)).toBe(false)
  })

  it('scanner: the classname with or without .crashtest.cloud, in any case', () => {
    for (const scanner of ['xss', 'xss.crashtest.cloud', 'XSS']) {
      expect(matches(parsedEntry(`scanner: ${scanner}`), xss)).toBe(true)
    }
    expect(matches(parsedEntry('scanner: xs'), xss)).toBe(false)
    expect(matches(parsedEntry('scanner: sqlinjection'), xss)).toBe(false)
  })

  it('title: the whole title without its counter, in any case, never a part of it', () => {
    expect(matches(parsedEntry('title: cross-site scripting (xss)'), xss)).toBe(true)
    expect(matches(parsedEntry('title: Cross-Site  Scripting (XSS) (7)'), xss)).toBe(true)
    expect(matches(parsedEntry('title: Cross-Site Scripting'), xss)).toBe(false)
  })

  it('url: a glob on the URL as the message writes it or normalised, the scheme ignored', () => {
    const glob = parsedEntry('url: https://staging.example.com/legacy/*').url ?? ''
    const at = (message: string) => matchesUrl(glob, message)

    expect(at('XSS at https://staging.example.com/legacy/search?q=<svg>')).toBe(true)
    expect(at('XSS at http://staging.example.com/legacy/search')).toBe(true)
    expect(at("XSS at 'staging.example.com/legacy/search'")).toBe(true)
    expect(at('XSS at https://STAGING.example.com:443/legacy/search/')).toBe(true)
    expect(at('XSS at https://staging.example.com/legacy/a/b')).toBe(false)
    expect(at('XSS at https://staging.example.com/current/search')).toBe(false)
    expect(at('XSS at https://production.example.com/legacy/search')).toBe(false)
    expect(at('XSS in the search form')).toBe(false)
    expect(matchesUrl('http://staging.example.com/legacy/*', 'at https://staging.example.com/legacy/a')).toBe(
      true
    )
    expect(matchesUrl('staging.example.com/legacy/**', 'at https://staging.example.com/legacy/a/b')).toBe(
      true
    )
    expect(matchesUrl('*.example.com/**', 'at https://staging.example.com/legacy/a/b')).toBe(true)
    expect(
      matchesUrl('staging.example.com/search?q', 'at https://staging.example.com/search?q=%3Cx%3E')
    ).toBe(true)
  })

  it('every matcher an entry gives must match', () => {
    expect(matches(entry({ scanner: 'xss', title: 'cross-site scripting (xss)' }), xss)).toBe(true)
    expect(matches(entry({ scanner: 'xss', title: 'sql injection' }), xss)).toBe(false)
    expect(matches(entry({ scanner: 'xss', url: 'staging.example.com/legacy/*' }), xss)).toBe(true)
    expect(matches(entry({ scanner: 'xss', url: 'production.example.com/**' }), xss)).toBe(false)
    expect(matches(entry({ fingerprint: xss.fingerprint, scanner: 'ssl' }), xss)).toBe(false)
  })
})

describe('expiry', () => {
  const expiring = entry({ scanner: 'xss', expires: '2027-03-31' })
  it.each([
    ['2027-03-30T00:00:00.000Z', false],
    ['2027-03-30T23:59:59.999Z', false],
    ['2027-03-31T00:00:00.000Z', true],
    ['2027-03-31T12:00:00.000Z', true],
    ['2027-04-01T00:00:00.000Z', true],
    // 01:00 on the 31st in UTC+2 is still the 30th in UTC: the day is counted in UTC.
    ['2027-03-31T01:00:00.000+02:00', false],
    ['2027-03-30T23:00:00.000-02:00', true]
  ])('at %s the entry has expired: %s', (now, expired) => {
    expect(isExpired(expiring, new Date(now))).toBe(expired)
  })

  it('an entry without expires never expires', () => {
    expect(isExpired(entry({ scanner: 'xss' }), new Date('2999-12-31T23:59:59Z'))).toBe(false)
  })
})
