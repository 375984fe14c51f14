import { describe, expect, it } from '@jest/globals'
import type { FailOn, PolicySettings } from '../../src/engine/policy/gate.js'
import { describePolicy, describeViolation, judge } from '../../src/engine/policy/gate.js'
import type { Finding, KnownSeverity, Severity } from '../../src/engine/report/findings.js'

let serial = 0
function finding(severity: Severity, title = `${severity} finding ${++serial}`): Finding {
  return {
    scanner: 'xss',
    title,
    severity,
    reportedType: severity === 'unknown' ? 'weird' : severity,
    message: 'm',
    fingerprint: `fp${serial}`
  }
}

function policy(failOn: FailOn, maxFindings: PolicySettings['maxFindings'] = {}): PolicySettings {
  return { failOn, maxFindings }
}

const ONE_OF_EACH = (['info', 'low', 'medium', 'high', 'critical'] as const).map(s => finding(s))

describe('judge: fail-on', () => {
  it.each([
    ['critical', ['critical']],
    ['high', ['critical', 'high']],
    ['medium', ['critical', 'high', 'medium']],
    ['low', ['critical', 'high', 'medium', 'low']],
    ['info', ['critical', 'high', 'medium', 'low', 'info']]
  ] as [KnownSeverity, KnownSeverity[]][])('fail-on %s fails on %j and nothing else', (failOn, breaking) => {
    const verdict = judge({ findings: ONE_OF_EACH, policy: policy(failOn) })
    expect(verdict.passed).toBe(false)
    expect(verdict.violations).toEqual([{ rule: 'fail-on', threshold: failOn, count: breaking.length }])
    expect(verdict.breaking.map(f => f.severity)).toEqual(breaking)
  })

  it('fail-on never passes whatever is found', () => {
    const verdict = judge({ findings: [...ONE_OF_EACH, finding('unknown')], policy: policy('never') })
    expect(verdict).toMatchObject({ passed: true, violations: [], breaking: [] })
  })

  it.each([
    ['critical', ['high', 'medium', 'low', 'info']],
    ['high', ['medium', 'low', 'info']],
    ['medium', ['low', 'info']],
    ['low', ['info']]
  ] as [KnownSeverity, KnownSeverity[]][])('fail-on %s passes with only %j', (failOn, severities) => {
    const verdict = judge({ findings: severities.map(s => finding(s)), policy: policy(failOn) })
    expect(verdict).toMatchObject({ passed: true, violations: [], breaking: [] })
  })

  it.each(['critical', 'high', 'info', 'never'] as FailOn[])('fail-on %s passes without findings', failOn => {
    expect(judge({ findings: [], policy: policy(failOn, { high: 0 }) })).toMatchObject({
      passed: true,
      counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 },
      violations: [],
      breaking: []
    })
  })
})

describe('judge: unknown severity', () => {
  const unknown = finding('unknown')

  it('is judged like high: fails fail-on high and below', () => {
    for (const failOn of ['high', 'medium', 'low', 'info'] as const) {
      const verdict = judge({ findings: [unknown], policy: policy(failOn) })
      expect(verdict.passed).toBe(false)
      expect(verdict.breaking).toEqual([unknown])
    }
  })

  it('does not fail fail-on critical', () => {
    expect(judge({ findings: [unknown], policy: policy('critical') }).passed).toBe(true)
  })

  it('counts in the high budget', () => {
    const verdict = judge({ findings: [unknown], policy: policy('never', { high: 0 }) })
    expect(verdict.violations).toEqual([{ rule: 'max-findings', severity: 'high', count: 1, budget: 0 }])
    expect(verdict.breaking).toEqual([unknown])

    const together = judge({ findings: [unknown, finding('high')], policy: policy('never', { high: 1 }) })
    expect(together.violations).toEqual([{ rule: 'max-findings', severity: 'high', count: 2, budget: 1 }])
    expect(judge({ findings: [unknown], policy: policy('never', { critical: 0, medium: 0 }) }).passed).toBe(
      true
    )
  })

  it('is still counted as unknown', () => {
    expect(judge({ findings: [unknown, finding('high')], policy: policy('never') }).counts).toMatchObject({
      high: 1,
      unknown: 1
    })
  })

  it('counts an unknown severity in the budget of high, and every known one in its own', () => {
    const brokenBudget = (found: Finding, severity: KnownSeverity) =>
      judge({ findings: [found], policy: policy('never', { [severity]: 0 }) }).violations
    expect(brokenBudget(unknown, 'high')).toEqual([expect.objectContaining({ severity: 'high', count: 1 })])
    for (const severity of ['critical', 'high', 'medium', 'low', 'info'] as const) {
      expect(brokenBudget(finding(severity), severity)).toEqual([
        expect.objectContaining({ severity, count: 1 })
      ])
    }
  })
})

describe('judge: max-findings', () => {
  it('counts each severity exactly, not "or worse"', () => {
    const findings = [finding('critical'), finding('high'), finding('high'), finding('medium')]
    expect(judge({ findings, policy: policy('never', { medium: 1 }) }).passed).toBe(true)
    expect(judge({ findings, policy: policy('never', { low: 0, info: 0 }) }).passed).toBe(true)
    expect(judge({ findings, policy: policy('never', { high: 2 }) }).passed).toBe(true)
  })

  it('fails when a count exceeds its budget, not when it equals it', () => {
    const mediums = [finding('medium'), finding('medium'), finding('medium')]
    expect(judge({ findings: mediums, policy: policy('never', { medium: 3 }) }).passed).toBe(true)
    const verdict = judge({ findings: mediums, policy: policy('never', { medium: 2 }) })
    expect(verdict.passed).toBe(false)
    expect(verdict.violations).toEqual([{ rule: 'max-findings', severity: 'medium', count: 3, budget: 2 }])
    expect(verdict.breaking).toHaveLength(3)
  })

  it('reports one violation per broken budget, in severity order, and only the findings over budget', () => {
    const findings = [
      finding('low'),
      finding('info'),
      finding('info'),
      finding('critical'),
      finding('medium')
    ]
    const verdict = judge({ findings, policy: policy('never', { info: 1, critical: 0, medium: 1 }) })
    expect(verdict.violations).toEqual([
      { rule: 'max-findings', severity: 'critical', count: 1, budget: 0 },
      { rule: 'max-findings', severity: 'info', count: 2, budget: 1 }
    ])
    expect(verdict.breaking.map(f => f.severity)).toEqual(['critical', 'info', 'info'])
  })
})

describe('judge: both rules', () => {
  it('applies fail-on and max-findings together', () => {
    const findings = [finding('low'), finding('medium'), finding('critical'), finding('medium')]
    const verdict = judge({ findings, policy: policy('critical', { medium: 1 }) })
    expect(verdict.passed).toBe(false)
    expect(verdict.violations).toEqual([
      { rule: 'fail-on', threshold: 'critical', count: 1 },
      { rule: 'max-findings', severity: 'medium', count: 2, budget: 1 }
    ])
    expect(verdict.breaking.map(f => f.severity)).toEqual(['critical', 'medium', 'medium'])
  })

  it('fails on max-findings alone when fail-on passes, and the other way round', () => {
    const findings = [finding('medium'), finding('medium')]
    expect(judge({ findings, policy: policy('high', { medium: 1 }) }).violations.map(v => v.rule)).toEqual([
      'max-findings'
    ])
    expect(judge({ findings, policy: policy('medium', { medium: 5 }) }).violations.map(v => v.rule)).toEqual([
      'fail-on'
    ])
    expect(judge({ findings, policy: policy('high', { medium: 5 }) }).passed).toBe(true)
  })

  it('lists a finding that breaks both rules once', () => {
    const high = finding('high')
    const verdict = judge({ findings: [high], policy: policy('high', { high: 0 }) })
    expect(verdict.violations).toHaveLength(2)
    expect(verdict.breaking).toEqual([high])
  })

  it('lists breaking findings most severe first, unknown after high', () => {
    const findings = [
      finding('info', 'i'),
      finding('unknown', 'u'),
      finding('low', 'l'),
      finding('medium', 'm'),
      finding('high', 'h'),
      finding('critical', 'c')
    ]
    const verdict = judge({ findings, policy: policy('info', { info: 0 }) })
    expect(verdict.breaking.map(f => f.title)).toEqual(['c', 'h', 'u', 'm', 'l', 'i'])
    expect(new Set(verdict.breaking).size).toBe(verdict.breaking.length)
  })

  it('does not reorder or change the findings it is given', () => {
    const findings = [finding('low'), finding('critical')]
    const copy = structuredClone(findings)
    judge({ findings, policy: policy('low') })
    expect(findings).toEqual(copy)
  })
})

describe('judge: counts', () => {
  it('counts findings by severity, whatever the verdict', () => {
    const findings = [
      finding('critical'),
      finding('high'),
      finding('high'),
      finding('info'),
      finding('info'),
      finding('info'),
      finding('unknown')
    ]
    const expected = { critical: 1, high: 2, medium: 0, low: 0, info: 3, unknown: 1 }
    expect(judge({ findings, policy: policy('never') }).counts).toEqual(expected)
    expect(judge({ findings, policy: policy('info', { info: 0 }) }).counts).toEqual(expected)
  })
})

describe('describeViolation and describePolicy', () => {
  it('describes a fail-on violation, singular and plural', () => {
    expect(describeViolation({ rule: 'fail-on', threshold: 'high', count: 1 })).toBe(
      'fail-on: high — 1 finding of severity high or worse'
    )
    expect(describeViolation({ rule: 'fail-on', threshold: 'medium', count: 3 })).toBe(
      'fail-on: medium — 3 findings of severity medium or worse'
    )
  })

  it('describes a max-findings violation', () => {
    expect(describeViolation({ rule: 'max-findings', severity: 'medium', count: 7, budget: 5 })).toBe(
      'max-findings: medium=5 — 7 medium findings exceed the budget of 5'
    )
  })

  it('describes the violations judge returns', () => {
    const verdict = judge({
      findings: [finding('critical'), finding('low'), finding('low')],
      policy: policy('critical', { low: 1 })
    })
    expect(verdict.violations.map(describeViolation)).toEqual([
      'fail-on: critical — 1 finding of severity critical or worse',
      'max-findings: low=1 — 2 low findings exceed the budget of 1'
    ])
  })

  it.each([
    [policy('never'), 'fail-on: never'],
    [policy('high'), 'fail-on: high'],
    [policy('high', { medium: 5, critical: 0 }), 'fail-on: high; max-findings: critical=0, medium=5'],
    [
      policy('never', { info: 100, low: 10, high: 0 }),
      'fail-on: never; max-findings: high=0, low=10, info=100'
    ]
  ])('describes the policy %j', (settings, text) => {
    expect(describePolicy(settings)).toBe(text)
  })
})

describe('judge: fail-on-scanners', () => {
  const of = (scanner: string, severity: Severity): Finding => ({ ...finding(severity), scanner })
  const scanners = (failOnScanners: string[], failOn: FailOn = 'high'): PolicySettings => ({
    failOn,
    maxFindings: {},
    failOnScanners
  })

  it('breaks on any finding of a listed scanner, whatever its severity, beside fail-on', () => {
    const lowXss = of('xss', 'low')
    const highTls = of('ssl', 'high')
    const verdict = judge({ findings: [lowXss, of('cookies', 'low'), highTls], policy: scanners(['xss']) })
    expect(verdict.violations).toEqual([
      { rule: 'fail-on', threshold: 'high', count: 1 },
      { rule: 'fail-on-scanners', scanners: ['xss'], count: 1 }
    ])
    expect(verdict.breaking).toEqual([highTls, lowXss])
    expect(verdict.rulesBrokenBy.get(lowXss)).toEqual(['fail-on-scanners'])
    expect(describeViolation(verdict.violations[1]!)).toBe(
      'fail-on-scanners: xss — 1 finding of that scanner, whatever the severity'
    )
  })

  it('takes the classname the report gives and its first label, in any case', () => {
    const findings = [of('xss', 'info'), of('sqlinjection', 'low'), of('custom.check', 'low')]
    const verdict = judge({
      findings,
      policy: scanners(['xss.crashtest.cloud', 'SQLINJECTION', 'custom'], 'never')
    })
    expect(verdict.violations).toEqual([
      { rule: 'fail-on-scanners', scanners: ['xss.crashtest.cloud', 'SQLINJECTION', 'custom'], count: 3 }
    ])
  })

  it('names a listed scanner the report has no testcase of, and only when the report says which ran', () => {
    const policy = scanners(['xss', 'sqli', 'ssl.crashtest.cloud'], 'never')
    expect(
      judge({ findings: [], policy, now: new Date(), scanners: new Set(['xss', 'ssl', 'headers']) })
        .unreportedScanners
    ).toEqual(['sqli'])
    expect(judge({ findings: [], policy }).unreportedScanners).toEqual([])
  })

  it('is described among the rules', () => {
    expect(describePolicy(scanners(['xss', 'sqli']))).toBe('fail-on: high; fail-on-scanners: xss, sqli')
  })
})
