// The JUnit report for CI systems to import: judged by the rules, unlike the service's, and named so that
// a test history can follow a finding.
import { describe, expect, it } from '@jest/globals'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { renderJudgedJunit } from '../../src/engine/files/judged-junit.js'
import { judge, type PolicySettings } from '../../src/engine/policy/gate.js'
import { parseSuppressions } from '../../src/engine/policy/suppressions.js'
import type { Finding } from '../../src/engine/report/findings.js'
import { finding } from './finding-fixtures.js'

interface Testcase {
  classname: string
  name: string
  failure?: { type: string; message: string }
  'system-out': string
}

function rendered(findings: Finding[], policy: PolicySettings, name = 'target-1') {
  const xml = renderJudgedJunit([{ name, findings, verdict: judge({ findings, policy }) }])
  expect(XMLValidator.validate(xml)).toBe(true)
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: n => n === 'testcase'
  })
  const suites = parser.parse(xml) as {
    testsuites: { failures: string; testsuite: { testcase: Testcase[]; failures: string } }
  }
  return { xml, suite: suites.testsuites.testsuite, cases: suites.testsuites.testsuite.testcase }
}

const high = finding('high', {
  title: 'SQL Injection',
  message: 'At https://shop.test/login?user=1 parameter user'
})
const low = finding('low', {
  title: 'Cookie Security',
  message: 'At https://shop.test/ the cookie sid has no Secure flag'
})

describe('renderJudgedJunit', () => {
  it('fails only the findings that break the rules; the others pass, saying why', () => {
    const { cases, suite } = rendered([high, low], { failOn: 'high', maxFindings: {} })
    expect(cases.map(c => [c.name, c.failure !== undefined])).toEqual([
      ['SQL Injection at shop.test/login?user, parameter user', true],
      ['Cookie Security at shop.test', false]
    ])
    expect(suite.failures).toBe('1')
    expect(cases[0]?.failure).toMatchObject({ type: 'high', message: 'breaks fail-on' })
    expect(cases[1]?.['system-out']).toContain('severity: low')
    expect(cases[1]?.['system-out']).toContain(`fingerprint: ${low.fingerprint}`)
    expect(cases[1]?.['system-out']).toContain('accepted by the rules')
  })

  it('has no failure at all with fail-on never', () => {
    const { xml } = rendered([high, low], { failOn: 'never', maxFindings: {} })
    expect(xml).not.toContain('<failure')
    expect(xml).toContain('failures="0"')
  })

  it('passes suppressed findings and those the baseline knows, and fails each broken budget once', () => {
    const suppressions = {
      file: 's.yml',
      entries: parseSuppressions(
        `suppressions:\n  - fingerprint: ${high.fingerprint}\n    reason: accepted risk\n`
      )
    }
    const baseline = { file: 'b.xml', findings: [low] }
    const lows = [low, finding('low', { title: 'Other', message: 'At https://shop.test/a' })]
    const { cases } = rendered([high, ...lows], {
      failOn: 'never',
      maxFindings: { low: 0 },
      suppressions,
      baseline
    })
    const byName = new Map(cases.map(c => [c.name, c]))
    expect(byName.get('SQL Injection at shop.test/login?user, parameter user')?.['system-out']).toContain(
      'suppressed by line 2 of the suppressions file: accepted risk'
    )
    expect(byName.get('Cookie Security at shop.test')?.['system-out']).toContain('known: the baseline has it')
    expect(byName.get('Other at shop.test/a')?.failure?.message).toBe('breaks max-findings')
    expect(byName.get('max-findings: low')?.failure).toMatchObject({ type: 'budget' })
  })

  it('names a finding without a counter, and apart from a twin by its fingerprint', () => {
    // Another scanner's finding of the same title at the same place: another fingerprint.
    const twin = finding('high', { scanner: 'sqli', title: 'SQL Injection', message: high.message })
    const { cases } = rendered([high, twin], { failOn: 'never', maxFindings: {} })
    expect(cases.map(c => c.name).sort()).toEqual(
      [high, twin].map(f => `SQL Injection at shop.test/login?user, parameter user (${f.fingerprint})`).sort()
    )
  })

  it('escapes report text and replaces what XML cannot carry', () => {
    const hostile = finding('high', {
      title: 'X <script>"&amp;',
      message: 'At https://shop.test/ </system-out><failure/> \u0000\u001b ]]> \ud800 @everyone'
    })
    const { cases, xml } = rendered([hostile], { failOn: 'never', maxFindings: {} })
    expect(cases).toHaveLength(1)
    expect(cases[0]?.name).toBe('X <script>"&amp; at shop.test')
    expect(cases[0]?.['system-out']).toContain('</system-out><failure/>')
    expect(xml.includes('\u0000') || xml.includes('\u001b')).toBe(false)
  })
})
