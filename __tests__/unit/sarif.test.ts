import { describe, expect, it } from '@jest/globals'
import type { Log } from 'sarif'
import { codeScanningProblems, sarifSchemaProblems } from '../fixtures/sarif-schema.js'
import { renderSarifRunsText, ruleId, workflowFileUri } from '../../src/engine/files/sarif.js'
import type { Finding, Severity } from '../../src/engine/report/findings.js'
import { fingerprint } from '../../src/engine/report/fingerprint.js'
import { finding } from './finding-fixtures.js'

const WORKFLOW = '.github/workflows/dast.yml'

/** The log of one run, as written to the file (a result at a time), read back. */
function renderSarif(
  findings: readonly Finding[],
  options: Parameters<typeof renderSarifRunsText>[1] = {}
): Log {
  const text = [...renderSarifRunsText([{ findings }], options)].join('')
  // Pretty-printed as JSON.stringify prints it, however many pieces it was made of.
  expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`)
  return JSON.parse(text) as Log
}

/** Renders and checks against both the SARIF 2.1.0 schema and code scanning's own requirements. */
function render(findings: Finding[]): Log {
  const written = renderSarif(findings, { fallbackUri: WORKFLOW })
  expect(sarifSchemaProblems(written)).toEqual([])
  expect(codeScanningProblems(written)).toEqual([])
  return written
}

const run = (log: Log) => {
  const [only] = log.runs
  if (!only || log.runs.length !== 1) throw new Error('expected exactly one run')
  return { rules: only.tool.driver.rules ?? [], results: only.results ?? [], driver: only.tool.driver }
}

describe('the schema check', () => {
  // The validation below proves nothing unless it can fail.
  it('rejects logs that break SARIF 2.1.0', () => {
    const log = renderSarif([finding('high')])
    const broken = JSON.parse(JSON.stringify(log)) as Record<string, unknown> & Log
    const result = broken.runs[0]!.results![0]! as unknown as Record<string, unknown>
    result.level = 'critical'
    delete result.message
    ;(broken.runs[0]!.tool.driver as unknown as Record<string, unknown>).rules = [{ name: 'no id' }]
    broken.version = '2.0.0' as Log['version']
    const problems = sarifSchemaProblems(broken).join('\n')
    expect(problems).toMatch(/\/version: must be equal to one of the allowed values/)
    expect(problems).toMatch(/\/runs\/0\/results\/0\/level: must be equal to one of the allowed values/)
    expect(problems).toMatch(/\/runs\/0\/results\/0: must have required property 'message'/)
    expect(problems).toMatch(/\/runs\/0\/tool\/driver\/rules\/0: must have required property 'id'/)
  })

  it('rejects a location that is not a URI reference', () => {
    const log = JSON.parse(JSON.stringify(renderSarif([finding('high')]))) as Log
    log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri = 'a b\\c'
    expect(sarifSchemaProblems(log).join('\n')).toMatch(/uri: must match format "uri-reference"/)
  })

  it('rejects what code scanning refuses: a web address as location, a missing fingerprint', () => {
    const log = JSON.parse(JSON.stringify(renderSarif([finding('high')]))) as Log
    const result = log.runs[0]!.results![0]!
    result.locations![0]!.physicalLocation!.artifactLocation!.uri = 'https://app.example.test/page'
    result.partialFingerprints = {}
    expect(sarifSchemaProblems(log)).toEqual([])
    const problems = codeScanningProblems(log).join('\n')
    expect(problems).toMatch(/scheme other than file/)
    expect(problems).toMatch(/primaryLocationLineHash must be a non-empty string/)
  })
})

describe('renderSarif', () => {
  it('renders a report without findings as one run with no results', () => {
    const log = render([])
    expect(log.version).toBe('2.1.0')
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json')
    const { rules, results, driver } = run(log)
    expect(driver.name).toBe('Crashtest Security DAST')
    expect(rules).toEqual([])
    expect(results).toEqual([])
  })

  it('maps every severity to a level and to a security-severity in its code scanning band', () => {
    const severities: Severity[] = ['info', 'low', 'medium', 'high', 'critical', 'unknown']
    const { rules, results } = run(render(severities.map(s => finding(s))))

    // Worst first, unknown right after high (as the summary orders them).
    expect(results.map(r => r.properties?.severity)).toEqual([
      'critical',
      'high',
      'unknown',
      'medium',
      'low',
      'info'
    ])
    expect(results.map(r => r.level)).toEqual(['error', 'error', 'error', 'warning', 'note', 'note'])
    const scores = rules.map(r => Number(r.properties?.['security-severity']))
    const bands = scores.map(score =>
      score > 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : score >= 0.1 ? 'low' : 'none'
    )
    expect(bands).toEqual(['critical', 'high', 'high', 'medium', 'low', 'none'])
    expect(rules.map(r => r.defaultConfiguration?.level)).toEqual(results.map(r => r.level))
    for (const rule of rules) expect(rule.properties?.tags).toEqual(['security', 'dast'])
  })

  it('renders a finding of unknown severity as an error ranked like high, keeping the reported type', () => {
    const { rules, results } = run(
      render([finding('unknown', { title: 'Odd finding', reportedType: 'severe-ish' })])
    )
    expect(results[0]).toMatchObject({
      level: 'error',
      properties: { severity: 'unknown', reportedType: 'severe-ish' }
    })
    expect(rules[0]?.properties?.['security-severity']).toBe('8.0')
  })

  it('gives one rule per scanner and title, one result per finding, fingerprints from fingerprint()', () => {
    const findings = [
      finding('high', { title: 'Cross-Site Scripting (XSS)', message: 'XSS at https://a.example.test/x' }),
      finding('medium', { title: 'Cross-Site Scripting (XSS)', message: 'XSS at https://a.example.test/y' }),
      finding('high', { scanner: 'reflected', title: 'Cross-Site Scripting (XSS)' }),
      finding('low', { scanner: 'cookies', title: 'Cookie Security' })
    ]
    const { rules, results } = run(render(findings))
    expect(rules.map(r => r.id)).toEqual([
      'crashtest/reflected/cross-site-scripting-xss',
      'crashtest/xss/cross-site-scripting-xss',
      'crashtest/cookies/cookie-security'
    ])
    expect(results).toHaveLength(4)
    // The rule takes its level from its worst finding; each result keeps its own.
    const xss = rules.find(r => r.id === 'crashtest/xss/cross-site-scripting-xss')
    expect(xss?.properties?.['security-severity']).toBe('8.0')
    expect(results.filter(r => r.ruleId === xss?.id).map(r => r.level)).toEqual(['error', 'warning'])
    for (const f of findings) {
      const result = results.find(r => r.message.text === f.message)
      expect(result?.partialFingerprints).toEqual({
        primaryLocationLineHash: fingerprint(f),
        'crashtestFindingId/v1': fingerprint(f)
      })
      expect(result?.ruleId).toBe(ruleId(f))
    }
  })

  it('locates a finding at the URL its message names, as a repository-relative path', () => {
    const { results } = run(
      render([
        finding('high', {
          message: 'SQL injection in "id" of https://Shop.Example.test:8443/products/?id=1'
        }),
        finding('medium', { message: 'Missing header on shop.example.test/account/' }),
        finding('info', { message: 'The Server header reveals nginx/1.18.0' })
      ])
    )
    const uris = results.map(r => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri)
    expect(uris).toEqual(['shop.example.test_8443/products', 'shop.example.test/account', WORKFLOW])
    expect(results[0]?.properties?.url).toBe('shop.example.test:8443/products?id')
  })

  it('stays valid with odd characters in titles, scanners and messages', () => {
    const odd: Finding[] = [
      finding('critical', {
        scanner: 'sql"injection\\',
        title: 'SQL <Injection> & "quotes" | pipes [brackets] `ticks`',
        message: 'Payload \'"><script>alert(1)</script> at https://a.example.test/p%ath/ä ö/<x>?q=1|2'
      }),
      finding('high', {
        scanner: '',
        title: '',
        message: ''
      }),
      finding('medium', {
        title: 'Emoji 🔥 and RTL ‏עברית‏ and CJK 跨站脚本',
        message: 'Control \u0000\u0007\u001b[31m characters\r\nand a new line at http://[::1]:8080/a//b/../c'
      }),
      finding('low', {
        title: '   ',
        message: 'Broken URL http://exa mple.test:99999/%E0%A4%A and //x.example.test/../../etc/passwd'
      }),
      finding('info', { title: 'x'.repeat(5000), message: 'y'.repeat(100_000) }),
      finding('unknown', { reportedType: '<"&\'>', message: 'localhost:8000/admin is open' })
    ]
    const { rules, results } = run(render(odd))
    expect(results).toHaveLength(odd.length)
    expect(rules.map(r => r.id)).toEqual([
      'crashtest/sql-injection/sql-injection-quotes-pipes-brackets-ticks',
      'crashtest/untitled/untitled',
      'crashtest/xss/finding-unknown',
      'crashtest/xss/emoji-and-rtl-עברית-and-cjk-跨站脚本',
      'crashtest/xss/untitled',
      `crashtest/xss/${'x'.repeat(100)}`
    ])
    expect(rules.every(r => (r.name ?? '').length <= 255)).toBe(true)
    // No message is ever empty, and a message is kept whole (code scanning shows its first sentence).
    const untitled = results.find(r => r.ruleId === 'crashtest/untitled/untitled')
    expect(untitled?.message.text).toBe('Finding without a message')
    expect(results.map(r => r.message.text?.length)).toContain(100_000)
  })
})

describe('the location of a scanned URL', () => {
  it.each([
    ['a.example.test/products?id&sort', 'a.example.test/products'],
    ['a.example.test:8443', 'a.example.test_8443'],
    ['a.example.test', 'a.example.test'],
    ['[::1]:8080/x', '%5B__1%5D_8080/x'],
    ['a.example.test/%7Euser/a%20b', 'a.example.test/~user/a%20b'],
    ['a.example.test/../../etc', 'a.example.test/%2E%2E/%2E%2E/etc'],
    ['a.example.test/bad%zz', 'a.example.test/bad%25zz'],
    ['https://a.example.test/x', 'a.example.test/x'],
    ['/', 'crashtest-dast-scan']
  ])('%s → %s', (url, path) => {
    const log = renderSarif([finding('high', { url })])
    expect(log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(path)
  })
})

describe('workflowFileUri', () => {
  it('reads the workflow file from GITHUB_WORKFLOW_REF', () => {
    expect(
      workflowFileUri({
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/dast scan.yml@refs/pull/7/merge'
      })
    ).toBe('.github/workflows/dast%20scan.yml')
  })

  it('is undefined when the runner does not say', () => {
    expect(workflowFileUri({ GITHUB_REPOSITORY: 'octo/app' })).toBeUndefined()
    expect(
      workflowFileUri({ GITHUB_REPOSITORY: 'octo/app', GITHUB_WORKFLOW_REF: 'other/repo/x.yml@main' })
    ).toBe(undefined)
  })

  it('falls back to a fixed path when no workflow file is given', () => {
    const log = renderSarif([finding('info', { message: 'no address here' })])
    expect(log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(
      'crashtest-dast-scan'
    )
  })
})
