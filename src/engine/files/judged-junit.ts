import type { Verdict } from '../policy/gate.js'
import { bySeverityDescending, type Finding } from '../report/findings.js'
import { describeViolation } from '../policy/gate.js'
import { clip } from '../report/text.js'

/** A target's judged findings, for the judged JUnit file. */
export interface JudgedTarget {
  name: string
  findings: readonly Finding[]
  verdict: Verdict
}

/** Longest message kept in a failure or in system-out: the report and the findings file keep it whole. */
const MAX_MESSAGE = 2000

/**
 * A JUnit report for the CI system to import, judged by the rules, unlike the service's (where every
 * finding, info included, is a failure): one testcase per finding, failing only when the finding broke a
 * rule (findings the rules accept, suppressed ones and those the baseline knows pass, saying why), and one
 * failing testcase per broken `max-findings` budget. A testcase is named from the finding's title and
 * where it was found, never a running counter, so that a CI system's test history follows a finding from
 * build to build. A testsuite per target. Pure.
 */
export function renderJudgedJunit(targets: readonly JudgedTarget[]): string {
  const suites = targets.map(target => suite(target, targets.length > 1))
  const count = (key: 'tests' | 'failures') => suites.reduce((sum, s) => sum + s[key], 0)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="Crashtest DAST" tests="${count('tests')}" failures="${count('failures')}">`,
    ...suites.map(s => s.xml),
    '</testsuites>',
    ''
  ].join('\n')
}

function suite({ name, findings, verdict }: JudgedTarget, several: boolean) {
  const breaking = new Set(verdict.breaking)
  const suppressedBy = new Map(verdict.suppressed.map(s => [s.finding, s.by]))
  const known = new Set(verdict.baseline?.stillPresent)
  const names = testcaseNames([...findings].sort(bySeverityDescending))
  const cases: string[] = []
  let failures = 0
  for (const [finding, testName] of names) {
    const facts = [`severity: ${finding.severity}`, `fingerprint: ${finding.fingerprint}`]
    const by = suppressedBy.get(finding)
    if (by) facts.push(`suppressed by line ${by.line} of the suppressions file: ${by.reason}`)
    else if (known.has(finding)) facts.push('known: the baseline has it')
    else if (!breaking.has(finding)) facts.push('accepted by the rules')
    facts.push(`message: ${clip(finding.message, MAX_MESSAGE)}`)
    const rules = verdict.rulesBrokenBy.get(finding) ?? []
    const failure = breaking.has(finding)
      ? `\n      <failure type="${finding.severity}" message="${xml(`breaks ${rules.join(', ')}`)}">${xml(clip(finding.message, MAX_MESSAGE))}</failure>`
      : ''
    if (failure) failures++
    cases.push(
      `    <testcase classname="${xml(`crashtest.${finding.scanner}`)}" name="${xml(testName)}">${failure}\n      <system-out>${xml(facts.join('\n'))}</system-out>\n    </testcase>`
    )
  }
  for (const violation of verdict.violations.filter(v => v.rule === 'max-findings')) {
    failures++
    const rule = `max-findings: ${violation.severity}`
    cases.push(
      `    <testcase classname="crashtest.rules" name="${xml(rule)}">\n      <failure type="budget" message="${xml(describeViolation(violation))}"/>\n    </testcase>`
    )
  }
  const suiteName = several ? `Crashtest DAST: ${name}` : 'Crashtest DAST'
  const xmlText = [
    `  <testsuite name="${xml(suiteName)}" tests="${cases.length}" failures="${failures}">`,
    ...cases,
    '  </testsuite>'
  ].join('\n')
  return { xml: xmlText, tests: cases.length, failures }
}

/**
 * Each finding's testcase name: its title and where it was found (the URL and parameter its message
 * names), or its fingerprint when it names no URL, or when two findings would share a name.
 */
function testcaseNames(findings: readonly Finding[]): Map<Finding, string> {
  const base = (finding: Finding): string => {
    if (!finding.url) return `${finding.title} (${finding.fingerprint})`
    const parameter = finding.parameter ? `, parameter ${finding.parameter}` : ''
    return clip(`${finding.title} at ${finding.url}${parameter}`, 300)
  }
  const counts = new Map<string, number>()
  for (const finding of findings) counts.set(base(finding), (counts.get(base(finding)) ?? 0) + 1)
  return new Map(
    findings.map(finding => {
      const name = base(finding)
      return [finding, (counts.get(name) ?? 0) > 1 ? `${name} (${finding.fingerprint})` : name]
    })
  )
}

// Characters XML 1.0 cannot carry at all, even escaped: report text is the scanned site's, so it may hold them.
const NOT_IN_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Text for an attribute value or element content: escaped, with characters XML cannot carry replaced. */
function xml(text: string): string {
  return text
    .replace(NOT_IN_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}
