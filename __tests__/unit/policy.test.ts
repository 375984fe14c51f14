import { describe, expect, it } from '@jest/globals'
import type { PolicySettings } from '../../src/engine/policy/gate.js'
import { judge } from '../../src/engine/policy/gate.js'
import { parseSuppressions } from '../../src/engine/policy/suppressions.js'
import { renderFindingsFile } from '../../src/engine/files/findings-file.js'
import { renderComment, renderSummary as renderRun } from '../../src/action/summary.js'
import { oneTarget, type OneTarget } from './one-target.js'
import type { Finding, KnownSeverity, ScanReport } from '../../src/engine/report/findings.js'
import { fingerprint, locate } from '../../src/engine/report/fingerprint.js'

/** The summary of a step with one target. */
const renderSummary = (outcome: OneTarget, policy: PolicySettings): string =>
  renderRun(oneTarget(outcome), policy)

function finding(
  scanner: string,
  severity: KnownSeverity,
  message: string,
  title = `${scanner} title`
): Finding {
  const base = { scanner, title, message }
  return { ...base, severity, reportedType: severity, fingerprint: fingerprint(base), ...locate(message) }
}

const xss = finding('xss', 'high', "XSS in parameter 'q' of https://app.example.com/legacy/search?q=1")
const sqli = finding(
  'sqlinjection',
  'critical',
  'SQLi in parameter "id" of https://app.example.com/products?id=1'
)
const tls = finding('ssl', 'high', 'TLS 1.1 is offered by app.example.com')
const cookie = finding('cookies', 'low', 'Cookie "sid" without SameSite on app.example.com')
const NOW = new Date('2027-03-31T08:00:00Z')

const policy = (extra: Partial<PolicySettings> = {}): PolicySettings => ({
  failOn: 'high',
  maxFindings: {},
  ...extra
})
const suppressions = (yaml: string) => ({
  file: '.github/crashtest-suppressions.yml',
  entries: parseSuppressions(yaml)
})

describe('judge with suppressions', () => {
  const file = suppressions(`suppressions:
  - fingerprint: ${xss.fingerprint}
    reason: Legacy search, removed in Q2
  - scanner: ssl.crashtest.cloud
    reason: TLS is terminated by the CDN
    expires: 2027-03-31
  - scanner: xss
    reason: Everything XSS on the legacy host
  - title: Clickjacking
    reason: Frames are allowed on purpose
`)

  it('fails without the file and leaves nothing suppressed', () => {
    const verdict = judge({ findings: [xss, sqli, tls], policy: policy({ failOn: 'high' }), now: NOW })
    expect(verdict.passed).toBe(false)
    expect(verdict.suppressed).toEqual([])
    expect(verdict.judged).toEqual([xss, sqli, tls])
  })

  it('does not judge suppressed findings; the first matching entry is named', () => {
    const verdict = judge({
      findings: [xss, cookie],
      policy: policy({ failOn: 'high', suppressions: file }),
      now: NOW
    })
    expect(verdict.passed).toBe(true)
    expect(verdict.suppressed).toEqual([{ finding: xss, by: file.entries[0] }])
    expect(verdict.judged).toEqual([cookie])
    expect(verdict.counts.high).toBe(1)
  })

  it('judges again what an expired entry matched and reports the entry', () => {
    const verdict = judge({ findings: [tls], policy: policy({ suppressions: file }), now: NOW })
    expect(verdict.passed).toBe(false)
    expect(verdict.breaking).toEqual([tls])
    expect(verdict.expired).toEqual([{ entry: file.entries[1], wouldMatch: 1 }])
    const dayBefore = judge({
      findings: [tls],
      policy: policy({ suppressions: file }),
      now: new Date('2027-03-30T23:59:59Z')
    })
    expect(dayBefore.passed).toBe(true)
    expect(dayBefore.expired).toEqual([])
  })

  it('lists entries in force that matched nothing as unused, not those that also matched', () => {
    const verdict = judge({
      findings: [xss],
      policy: policy({ suppressions: file }),
      now: new Date('2027-01-01T00:00:00Z')
    })
    // Entry 3 (scanner xss) matches too, though entry 1 is the one named: it is in use.
    expect(verdict.unused).toEqual([file.entries[1], file.entries[3]])
    // Expired entries are reported as expired, never as unused.
    expect(judge({ findings: [xss], policy: policy({ suppressions: file }), now: NOW }).unused).toEqual([
      file.entries[3]
    ])
  })

  it('applies suppressions to max-findings budgets too', () => {
    const budget = policy({ failOn: 'never', maxFindings: { high: 0 } })
    expect(judge({ findings: [xss], policy: budget, now: NOW }).passed).toBe(false)
    expect(judge({ findings: [xss], policy: { ...budget, suppressions: file }, now: NOW }).passed).toBe(true)
  })
})

describe('judge with a baseline', () => {
  const baseline = { file: 'previous/crashtest-report.xml', findings: [xss, tls, tls, cookie] }

  it('judges only new findings and tells new, still present and fixed apart', () => {
    const verdict = judge({
      findings: [xss, sqli, tls],
      policy: policy({ failOn: 'high', baseline }),
      now: NOW
    })
    expect(verdict.baseline).toEqual({
      new: [sqli],
      stillPresent: [xss, tls],
      fixed: [cookie],
      since: { file: 'previous/crashtest-report.xml' }
    })
    expect(verdict.judged).toEqual([sqli])
    expect(verdict.breaking).toEqual([sqli])
    expect(verdict.passed).toBe(false)
  })

  it('passes when every finding is already in the baseline', () => {
    const verdict = judge({ findings: [xss, tls], policy: policy({ failOn: 'info', baseline }), now: NOW })
    expect(verdict.passed).toBe(true)
    expect(verdict.baseline?.fixed).toEqual([cookie])
  })

  it('reports a fixed finding once however often the baseline had it', () => {
    expect(judge({ findings: [], policy: policy({ baseline }), now: NOW }).baseline?.fixed).toEqual([
      xss,
      tls,
      cookie
    ])
  })

  it('combines with suppressions: a new finding can be suppressed', () => {
    const accepted = suppressions(
      `suppressions:\n  - fingerprint: ${sqli.fingerprint}\n    reason: fixed in the next release\n`
    )
    const verdict = judge({
      findings: [xss, sqli],
      policy: policy({ baseline, suppressions: accepted }),
      now: NOW
    })
    expect(verdict.passed).toBe(true)
    expect(verdict.baseline?.new).toEqual([sqli])
    expect(verdict.suppressed.map(s => s.finding)).toEqual([sqli])
  })
})

describe('what the summary and the findings file show', () => {
  const file = suppressions(`suppressions:
  - fingerprint: ${xss.fingerprint}
    reason: Legacy <b>search</b>, see SEC-12
  - scanner: ssl
    reason: CDN terminates TLS
    expires: 2027-01-01
  - title: Clickjacking
    reason: Frames are allowed
`)
  const baseline = { file: 'previous.xml', findings: [xss, tls, cookie] }
  const settings = policy({ suppressions: file, baseline })
  const report: ScanReport = {
    testcases: 10,
    findings: [xss, sqli, tls],
    scannerErrors: [],
    skippedChecks: []
  }
  const verdict = judge({ findings: report.findings, policy: settings, now: NOW })
  const summary = renderSummary({ result: 'failed', report, verdict }, settings)

  it('prints the fingerprint of every finding and how it was treated', () => {
    for (const f of report.findings) expect(summary).toContain(`\`${f.fingerprint}\``)
    expect(summary).toContain('| Fingerprint | Status |')
    expect(summary).toMatch(new RegExp(`\`${xss.fingerprint}\` \\| suppressed \\(line 2\\), in baseline \\|`))
    expect(summary).toMatch(new RegExp(`\`${sqli.fingerprint}\` \\| new, \\*\\*breaks fail-on\\*\\* \\|`))
    expect(summary).toContain('| Severity | Findings | Judged by the rules |')
  })

  it('starts the pull-request comment with the change too, with the run it compares with linked', () => {
    const run = { id: '7000000001', url: 'https://github.com/octo/app/actions/runs/7000000001' }
    const fromRun = policy({ baseline: { file: 'crashtest-report.xml', findings: [xss, tls, cookie], run } })
    const judged = judge({ findings: report.findings, policy: fromRun, now: NOW })
    const comment = renderComment(oneTarget({ result: 'failed', report, verdict: judged }), fromRun)
    expect(comment.split('\n\n')[1]).toBe(
      `**1 new · 1 fixed · 2 unchanged since [run 7000000001](${run.url})**`
    )
    expect(comment).toContain('### Fixed (1)')
  })

  it('lists suppressed findings with their reason, expired and unused entries, and the baseline comparison', () => {
    expect(summary).toContain('### Suppressed (1)')
    expect(summary).toContain('Legacy &lt;b&gt;search&lt;/b&gt;, see SEC-12 | line 2 |')
    expect(summary).toContain('### ⚠️ Expired suppressions (1)')
    expect(summary).toContain(
      '- line 4 (scanner ssl, expires 2027-01-01): CDN terminates TLS — matches 1 finding of this scan'
    )
    expect(summary).toContain('Unused suppressions (1)')
    expect(summary).toContain('- line 7 (title Clickjacking): Frames are allowed')
    // The change first, under the headline; the new finding first among the findings; the fixed after them.
    expect(summary.split('\n\n')[1]).toBe('**1 new · 1 fixed · 2 unchanged since `previous.xml`**')
    const findings = summary.slice(summary.indexOf('### Findings (3)'))
    expect(findings.split('\n')[4]).toMatch(
      /^\| 🟥 Critical \| sqlinjection .* new, \*\*breaks fail-on\*\* \|$/
    )
    expect(summary.indexOf('### Fixed (1)\n\nIn the baseline, no longer reported.')).toBeGreaterThan(
      summary.indexOf('### Findings (3)')
    )
    expect(summary).toContain(`\`${cookie.fingerprint}\``)
    expect(summary).toContain('suppressions: 3 entries in .github/crashtest-suppressions.yml')
  })

  it('has no policy sections when neither file is given', () => {
    const plain = renderSummary(
      { result: 'failed', report, verdict: judge({ findings: report.findings, policy: policy(), now: NOW }) },
      policy()
    )
    expect(plain).toContain(`\`${sqli.fingerprint}\``)
    expect(plain).not.toContain('Suppressed')
    expect(plain).not.toContain('baseline')
    expect(plain).toContain('| Severity | Findings |\n')
  })

  it('writes every finding with its fingerprint and treatment to the findings file', () => {
    const json = JSON.parse([...renderFindingsFile(report, verdict)].join('')) as Record<string, unknown[]>
    expect(json.findings).toEqual([
      {
        fingerprint: sqli.fingerprint,
        severity: 'critical',
        scanner: 'sqlinjection',
        title: 'sqlinjection title',
        url: 'app.example.com/products?id',
        parameter: 'id',
        message: sqli.message,
        suppressedBy: null,
        baseline: 'new',
        breaksRule: true
      },
      expect.objectContaining({ fingerprint: tls.fingerprint, url: 'app.example.com', parameter: null }),
      expect.objectContaining({
        fingerprint: xss.fingerprint,
        suppressedBy: { line: 2, reason: 'Legacy <b>search</b>, see SEC-12', expires: null },
        baseline: 'still present',
        breaksRule: false
      })
    ])
    expect(json.fixed).toEqual([expect.objectContaining({ fingerprint: cookie.fingerprint })])
    expect(json.expiredSuppressions).toEqual([
      { line: 4, reason: 'CDN terminates TLS', expires: '2027-01-01', wouldMatch: 1 }
    ])
    expect(json.unusedSuppressions).toEqual([{ line: 7, reason: 'Frames are allowed', expires: null }])
  })
})
