import { describe, expect, it } from '@jest/globals'
import { GITLAB_SCHEMA, gitlabReportProblems } from '../fixtures/gitlab-report-schema.js'
import {
  GITLAB_REPORT_VERSION,
  renderGitlabReportText,
  type GitlabReport,
  type GitlabScanFacts
} from '../../src/engine/files/gitlab-report.js'
import { ruleId } from '../../src/engine/files/sarif.js'
import type { Finding, Severity } from '../../src/engine/report/findings.js'
import { finding } from './finding-fixtures.js'

const FACTS: GitlabScanFacts = {
  startedAt: new Date('2024-03-05T23:58:07.250+02:00'),
  endedAt: new Date('2024-03-06T00:04:59.999+02:00'),
  status: 'success',
  toolVersion: '1.2.3'
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/

/** The report as written to the file (a vulnerability at a time), read back. */
function renderGitlabReport(findings: readonly Finding[], facts: GitlabScanFacts): GitlabReport {
  const text = [...renderGitlabReportText(findings, facts)].join('')
  // Pretty-printed as JSON.stringify prints it, however many pieces it was made of.
  expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`)
  return JSON.parse(text) as GitlabReport
}

/** Renders and checks what gets written against the schema. */
function render(findings: readonly Finding[], facts: GitlabScanFacts = FACTS): GitlabReport {
  const written = renderGitlabReport(findings, facts)
  expect(gitlabReportProblems(written)).toEqual([])
  return written
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

describe('the schema check', () => {
  // The validation below proves nothing unless it can fail.
  it('is the DAST report schema of version 15.0.7 that the reports name', () => {
    expect(GITLAB_SCHEMA.self.version).toBe('15.0.7')
    expect(GITLAB_REPORT_VERSION).toBe(GITLAB_SCHEMA.self.version)
  })

  it('rejects reports that break the schema', () => {
    const broken = clone(renderGitlabReport([finding('high')], FACTS)) as unknown as Record<string, unknown> &
      GitlabReport
    const vulnerability = broken.vulnerabilities[0]! as unknown as Record<string, unknown>
    vulnerability.severity = 'high'
    vulnerability.identifiers = []
    delete vulnerability.id
    broken.scan.start_time = '2024-03-05T21:58:07.250Z'
    broken.scan.scanned_resources = [{ method: 'GET', url: '', type: 'url' }]
    ;(broken.scan as unknown as Record<string, unknown>).type = 'sast'
    broken.version = '15.0'
    const problems = gitlabReportProblems(broken).join('\n')
    expect(problems).toMatch(/\/version: must match pattern/)
    expect(problems).toMatch(/\/scan\/start_time: must match pattern/)
    expect(problems).toMatch(/\/scan\/type: must be equal to one of the allowed values/)
    expect(problems).toMatch(/\/scan\/scanned_resources\/0\/url: must NOT have fewer than 1 characters/)
    expect(problems).toMatch(/\/vulnerabilities\/0: must have required property 'id'/)
    expect(problems).toMatch(/\/vulnerabilities\/0\/severity: must be equal to one of the allowed values/)
    expect(problems).toMatch(/\/vulnerabilities\/0\/identifiers: must NOT have fewer than 1 items/)
  })

  it('rejects a name longer than 255 characters and a scan without an analyzer', () => {
    const broken = clone(renderGitlabReport([finding('low')], FACTS))
    broken.vulnerabilities[0]!.name = 'x'.repeat(256)
    delete (broken.scan as Partial<GitlabReport['scan']>).analyzer
    const problems = gitlabReportProblems(broken).join('\n')
    expect(problems).toMatch(/\/vulnerabilities\/0\/name: must NOT have more than 255 characters/)
    expect(problems).toMatch(/\/scan: must have required property 'analyzer'/)
  })
})

describe('renderGitlabReport', () => {
  it('renders a scan without findings: no vulnerabilities, no scanned resources', () => {
    const report = render([])
    expect(report).toEqual({
      version: '15.0.7',
      scan: {
        analyzer: {
          id: 'crashtest-dast',
          name: 'Crashtest Security DAST',
          version: '1.2.3',
          vendor: { name: 'Crashtest Security' }
        },
        scanner: {
          id: 'crashtest-dast',
          name: 'Crashtest Security DAST',
          version: '1.2.3',
          vendor: { name: 'Veracode' }
        },
        type: 'dast',
        start_time: '2024-03-05T21:58:07',
        end_time: '2024-03-05T22:04:59',
        status: 'success',
        scanned_resources: []
      },
      vulnerabilities: []
    })
  })

  it('writes the times in UTC as yyyy-mm-ddThh:mm:ss, without fraction or zone', () => {
    const report = render([], {
      ...FACTS,
      startedAt: new Date(Date.UTC(2031, 0, 2, 3, 4, 5, 999)),
      endedAt: new Date('2031-01-01T23:00:00-05:00'),
      status: 'failure'
    })
    expect(report.scan.start_time).toMatch(TIME)
    expect(report.scan.end_time).toMatch(TIME)
    expect(report.scan.start_time).toBe('2031-01-02T03:04:05')
    expect(report.scan.end_time).toBe('2031-01-02T04:00:00')
    expect(report.scan.status).toBe('failure')
    const early = render([], { ...FACTS, startedAt: new Date(Date.UTC(987, 11, 31, 23, 59, 59)) })
    expect(early.scan.start_time).toBe('0987-12-31T23:59:59')
  })

  it('refuses a date it cannot write', () => {
    expect(() => renderGitlabReport([], { ...FACTS, startedAt: new Date('not a date') })).toThrow(RangeError)
    expect(() => [
      ...renderGitlabReportText([], { ...FACTS, endedAt: new Date(Date.UTC(10_000, 0)) })
    ]).toThrow(/outside the years 0 to 9999/)
  })

  it('names a version even when the tool does not know its own', () => {
    const report = render([], { ...FACTS, toolVersion: '  ' })
    expect(report.scan.analyzer.version).toBe('unknown')
    expect(report.scan.scanner.version).toBe('unknown')
  })

  it('maps every severity, unknown included, to GitLab severities, worst first', () => {
    const severities: Severity[] = ['info', 'low', 'medium', 'high', 'critical', 'unknown']
    const report = render(severities.map(s => finding(s)))
    expect(report.vulnerabilities.map(v => v.severity)).toEqual([
      'Critical',
      'High',
      'Unknown',
      'Medium',
      'Low',
      'Info'
    ])
    expect(report.vulnerabilities.map(v => v.name)).toEqual([
      'Finding critical',
      'Finding high',
      'Finding unknown',
      'Finding medium',
      'Finding low',
      'Finding info'
    ])
  })

  it('identifies each vulnerability by its check first, then by its fingerprint', () => {
    const f = finding('high', {
      scanner: 'sqli',
      title: 'SQL Injection',
      message: 'SQLi at https://a.test/x'
    })
    const [vulnerability] = render([f]).vulnerabilities
    expect(vulnerability?.identifiers).toEqual([
      {
        type: 'crashtest_scanner',
        name: 'SQL Injection (sqli scanner)',
        value: 'crashtest/sqli/sql-injection'
      },
      { type: 'crashtest_finding', name: `Crashtest finding ${f.fingerprint}`, value: f.fingerprint }
    ])
    expect(vulnerability?.identifiers[0]?.value).toBe(ruleId(f))
    expect(vulnerability?.description).toBe('SQLi at https://a.test/x')
  })

  it('locates a finding at the host, path and parameter its message names', () => {
    const report = render([
      finding('critical', {
        message: 'SQL injection in parameter "id" of https://Shop.Example.test:8443/products/?id=1'
      }),
      finding('high', { message: 'Missing header on shop.example.test/account/' }),
      finding('medium', { message: 'The Server header reveals nginx/1.18.0' }),
      finding('low', { message: 'Parameter token leaks through the referrer' }),
      finding('info', { message: 'Open page at https://shop.example.test' })
    ])
    expect(report.vulnerabilities.map(v => v.location)).toEqual([
      { hostname: 'https://shop.example.test:8443', method: 'GET', path: '/products', param: 'id' },
      { hostname: 'https://shop.example.test', method: 'GET', path: '/account' },
      {},
      { param: 'token' },
      { hostname: 'https://shop.example.test', method: 'GET', path: '/' }
    ])
    expect(report.scan.scanned_resources).toEqual([
      { method: 'GET', url: 'https://shop.example.test/', type: 'url' },
      { method: 'GET', url: 'https://shop.example.test/account', type: 'url' },
      { method: 'GET', url: 'https://shop.example.test:8443/products?id', type: 'url' }
    ])
  })

  it('lists the scanned URLs it is given first, and takes their scheme for findings on their host', () => {
    const report = render(
      [
        finding('high', { message: 'XSS at http://plain.example.test/search?q=<x>' }),
        finding('high', { message: 'XSS at plain.example.test:8080/other' }),
        finding('medium', { message: 'Header missing on https://plain.example.test/search?q=2' })
      ],
      {
        ...FACTS,
        scannedUrls: ['http://Plain.Example.test/search?q=1', ' ', 'http://plain.example.test/search?q=9']
      }
    )
    expect(report.scan.scanned_resources).toEqual([
      { method: 'GET', url: 'http://Plain.Example.test/search?q=1', type: 'url' },
      { method: 'GET', url: 'https://plain.example.test:8080/other', type: 'url' }
    ])
    // Another port is another origin, whose scheme is not known.
    expect(report.vulnerabilities.map(v => v.location.hostname)).toEqual([
      'http://plain.example.test',
      'https://plain.example.test:8080',
      'http://plain.example.test'
    ])
  })

  it('gives duplicate findings distinct ids, and each finding the same id in every report', () => {
    const a = finding('high', { message: 'XSS at https://a.example.test/x parameter q' })
    const b = finding('low', { title: 'Other', message: 'no address here' })
    const findings = [a, { ...a }, b, { ...a }, { ...b }]
    const first = render(findings).vulnerabilities.map(v => v.id)
    expect(new Set(first).size).toBe(findings.length)
    for (const id of first) expect(id).toMatch(UUID)
    // The same findings give the same ids; the first of a kind keeps its id when more of it are found.
    expect(render(findings).vulnerabilities.map(v => v.id)).toEqual(first)
    expect(render([b, a]).vulnerabilities.map(v => v.id)).toEqual([first[0], first[3]])
  })

  it('keeps ids unique over many findings', () => {
    const findings = Array.from({ length: 5000 }, (_, i) =>
      finding('medium', { message: `At https://a.example.test/p${i % 700}` })
    )
    const ids = renderGitlabReport(findings, FACTS).vulnerabilities.map(v => v.id)
    expect(new Set(ids).size).toBe(5000)
  })

  it('stays valid with odd characters, keeping the text as it was', () => {
    const odd: Finding[] = [
      finding('critical', {
        scanner: 'sql"injection\\',
        title: 'SQL <Injection> & "quotes" | pipes\n[brackets] `ticks`',
        message: 'Payload \'"><script>alert(1)</script> at https://a.example.test/p%ath/ä ö/<x>?q=1|2'
      }),
      finding('high', { scanner: '', title: '', message: '' }),
      finding('medium', {
        title: 'Emoji 🔥 and RTL ‏עברית‏ and CJK 跨站脚本',
        message: 'Control \u0000\u0007\u001b[31m characters\r\nand a new line at http://[::1]:8080/a//b/../c'
      }),
      finding('low', {
        title: 'Lone \ud800 surrogate',
        message: 'Broken URL http://exa mple.test:99999/%E0%A4%A and \udfff',
        parameter: 'a\ud83d'
      }),
      finding('info', { title: `${'x'.repeat(254)}🔥🔥`, message: 'y'.repeat(1_048_577) }),
      finding('unknown', { reportedType: '<"&\'>', message: 'app.local:8000/admin is open' })
    ]
    const { vulnerabilities, scan } = render(odd)
    expect(vulnerabilities).toHaveLength(odd.length)
    const [sql, empty, unknown, emoji, lone, long] = vulnerabilities
    expect(sql?.name).toBe('SQL <Injection> & "quotes" | pipes [brackets] `ticks`')
    expect(sql?.description).toBe(odd[0]?.message)
    // The message's URL ends at the space; its broken escape `%at` is kept as text.
    expect(sql?.location).toEqual({
      hostname: 'https://a.example.test',
      method: 'GET',
      path: '/p%25ath/%C3%A4'
    })
    expect(empty?.name).toBe('Untitled finding')
    expect(empty?.description).toBe('Untitled finding, reported by the "unknown" scanner.')
    expect(empty?.identifiers[0]).toEqual({
      type: 'crashtest_scanner',
      name: 'Untitled finding (unknown scanner)',
      value: 'crashtest/untitled/untitled'
    })
    expect(emoji?.name).toBe('Emoji 🔥 and RTL ‏עברית‏ and CJK 跨站脚本')
    expect(emoji?.description).toBe(odd[2]?.message)
    expect(emoji?.location).toEqual({ hostname: 'https://[::1]:8080', method: 'GET', path: '/a//c' })
    // Lone surrogates cannot be written as UTF-8: they become U+FFFD.
    expect(lone?.name).toBe('Lone \ufffd surrogate')
    expect(lone?.description).toBe('Broken URL http://exa mple.test:99999/%E0%A4%A and \ufffd')
    expect(lone?.location).toEqual({ hostname: 'https://exa', method: 'GET', path: '/', param: 'a\ufffd' })
    // Cut at the schema's limits, in characters, never inside a surrogate pair.
    expect([...(long?.name ?? '')]).toHaveLength(255)
    expect(long?.name).toBe(`${'x'.repeat(254)}…`)
    expect(long?.description).toHaveLength(1_048_576)
    expect(long?.description.endsWith('y…')).toBe(true)
    expect(unknown?.severity).toBe('Unknown')
    expect(unknown?.location).toEqual({ hostname: 'https://app.local:8000', method: 'GET', path: '/admin' })
    // A finding's URL keeps no scheme (`http://exa` is `exa`): with no scanned URL on its host, https.
    expect(scan.scanned_resources.map(r => r.url)).toEqual([
      'https://[::1]:8080/a//c',
      'https://a.example.test/p%25ath/%C3%A4',
      'https://app.local:8000/admin',
      'https://exa/'
    ])
  })

  it('counts a name in characters, as the schema does, and never cuts through an emoji', () => {
    const fits = render([finding('high', { title: `${'x'.repeat(253)}🔥🔥` })]).vulnerabilities[0]
    expect(fits?.name).toBe(`${'x'.repeat(253)}🔥🔥`)
    const [vulnerability] = render([finding('high', { title: `${'x'.repeat(253)}🔥🔥🔥` })]).vulnerabilities
    expect(vulnerability?.name).toBe(`${'x'.repeat(253)}🔥…`)
  })

  it('writes the same text in pieces as JSON.stringify writes at once, for many findings', () => {
    const findings = Array.from({ length: 3000 }, (_, i) =>
      finding((['critical', 'high', 'medium', 'low', 'info', 'unknown'] as const)[i % 6]!, {
        title: `Check ${i % 40} "quoted"\n`,
        message: `At https://a.example.test/p${i}?x=1 parameter x${i} <b>\u2028</b>`
      })
    )
    const pieces = [...renderGitlabReportText(findings, FACTS)]
    expect(pieces.length).toBeGreaterThan(2)
    expect(pieces.join('')).toBe(`${JSON.stringify(renderGitlabReport(findings, FACTS), null, 2)}\n`)
    expect(gitlabReportProblems(JSON.parse(pieces.join('')))).toEqual([])
  })
})
