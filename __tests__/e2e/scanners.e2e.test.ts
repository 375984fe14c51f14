// fail-on-scanners: any finding of a listed scanner breaks the rules, whatever its severity.
import { describe, expect, it } from '@jest/globals'
import { annotations, failureMessage, runScenario } from './fixtures.js'

const LOW_XSS = {
  scanner: 'xss',
  title: 'Cross-Site Scripting',
  severity: 'low',
  message: 'https://app.test/q'
}
const INFO_SQLI = { scanner: 'sqli', title: 'SQL Injection', severity: 'info', message: 'https://app.test/p' }
const MEDIUM_HEADERS = {
  scanner: 'headers',
  title: 'Security Headers',
  severity: 'medium',
  message: 'https://app.test/'
}

describe('fail-on-scanners', () => {
  it('fails on a low XSS finding with fail-on: high, naming the scanner rule', async () => {
    const run = await runScenario({
      target: { findings: [LOW_XSS, MEDIUM_HEADERS] },
      inputs: { 'fail-on': 'high', 'fail-on-scanners': 'xss' }
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('failed')
    expect(failureMessage(run)).toBe(
      'The scan broke the rules: fail-on-scanners: xss — 1 finding of that scanner, whatever the severity.'
    )
    expect(run.stdout).toContain('Rules: fail-on: high; fail-on-scanners: xss')
    expect(run.summary).toContain(
      '- fail-on-scanners: xss — 1 finding of that scanner, whatever the severity'
    )
    expect(run.summary).toMatch(/\| Cross-Site Scripting \|.*\| \*\*breaks fail-on-scanners\*\* \|/)
    expect(annotations(run, 'error').map(a => a.properties.title)).toEqual([
      'Crashtest low: Cross-Site Scripting'
    ])
  })

  it('passes when a suppression accepts that finding', async () => {
    const run = await runScenario({
      target: { findings: [LOW_XSS] },
      inputs: { 'fail-on': 'high', 'fail-on-scanners': 'xss', suppressions: 'accepted.yml' },
      files: {
        'accepted.yml':
          'suppressions:\n  - scanner: xss\n    reason: Reviewed, the search page escapes its output\n'
      }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.result).toBe('passed')
    expect(run.outputs.suppressed).toBe('1')
  })

  it('takes both spellings: the classname and its first label', async () => {
    const run = await runScenario({
      target: { findings: [LOW_XSS, INFO_SQLI] },
      inputs: { 'fail-on': 'never', 'fail-on-scanners': 'xss.crashtest.cloud, sqli' }
    })
    expect(run.exitCode).toBe(1)
    expect(failureMessage(run)).toContain(
      'fail-on-scanners: xss.crashtest.cloud, sqli — 2 findings of those scanners, whatever the severity'
    )
  })

  it('warns about a listed scanner that has no testcase in the report', async () => {
    const run = await runScenario({
      target: { findings: [MEDIUM_HEADERS] },
      inputs: { 'fail-on': 'high', 'fail-on-scanners': 'headers\nxxs' }
    })
    expect(run.exitCode).toBe(1) // the headers finding
    const warnings = annotations(run, 'warning')
    expect(warnings.map(w => w.properties.title)).toEqual(['Crashtest: scanner not in the report'])
    expect(warnings[0]?.message).toContain(
      "'fail-on-scanners' lists xxs, but the report has no testcase of that scanner"
    )
    expect(run.summary).toContain(
      '`fail-on-scanners` lists `xxs`, but the report has no testcase of that scanner'
    )
  })

  it('refuses a malformed name before any request', async () => {
    const run = await runScenario({ inputs: { 'fail-on-scanners': 'xss, sql injection' } })
    expect(run.exitCode).toBe(1)
    expect(run.requests).toHaveLength(0)
    expect(failureMessage(run)).toContain(
      "'fail-on-scanners' names are letters, digits, '.', '_' and '-', separated by commas or new lines; got 'sql injection'"
    )
  })
})
