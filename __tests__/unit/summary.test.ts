import { describe, expect, it } from '@jest/globals'
import type { PolicySettings } from '../../src/engine/policy/gate.js'
import { judge } from '../../src/engine/policy/gate.js'
import { escapeCell, table } from '../../src/action/markdown.js'
import type { Result } from '../../src/engine/run/outcome.js'
import { oneTarget, type OneTarget } from './one-target.js'
import { MAX_FINDING_ROWS, renderSummary as renderRun } from '../../src/action/summary.js'
import type { Finding, ScannerNote, ScanReport, Severity } from '../../src/engine/report/findings.js'
import { fingerprint } from '../../src/engine/report/fingerprint.js'

/** The summary of a step with one target. */
const renderSummary = (outcome: OneTarget, policy: PolicySettings): string =>
  renderRun(oneTarget(outcome), policy)

const POLICY: PolicySettings = { failOn: 'high', maxFindings: {} }

function finding(severity: Severity, title: string, extra: Partial<Finding> = {}): Finding {
  const message = extra.message ?? `message of ${title}`
  return {
    scanner: 'xss',
    title,
    severity,
    reportedType: severity === 'unknown' ? 'weird' : severity,
    message,
    fingerprint: fingerprint({ scanner: 'xss', title, message }),
    ...extra
  }
}

function report(
  findings: Finding[],
  notes: Partial<Pick<ScanReport, 'scannerErrors' | 'skippedChecks'>> = {}
): ScanReport {
  return { testcases: findings.length + 10, findings, scannerErrors: [], skippedChecks: [], ...notes }
}

/** A finished run: the report judged by the policy. */
function judged(scan: ScanReport, policy = POLICY): OneTarget {
  const verdict = judge({ findings: scan.findings, policy })
  return {
    result: verdict.passed ? 'passed' : 'failed',
    scanId: '4711',
    statusCode: 102,
    report: scan,
    verdict
  }
}

/** The cells of a Markdown table row, split on pipes that no backslash escapes (as GFM splits them). */
function cells(line: string): string[] {
  const pieces: string[] = []
  let current = ''
  for (let i = 0; i < line.length; i++) {
    const character = line[i] as string
    if (character === '\\') {
      current += character + (line[i + 1] ?? '')
      i++
    } else if (character === '|') {
      pieces.push(current)
      current = ''
    } else {
      current += character
    }
  }
  pieces.push(current)
  // A row starts and ends with a pipe: drop what is outside them.
  return pieces.slice(1, -1).map(cell => cell.trim())
}

/** The lines of the table under a heading that starts with `heading`. */
function tableAfter(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(heading)
  expect(start).toBeGreaterThanOrEqual(0)
  const lines = markdown.slice(start).split('\n')
  const first = lines.findIndex(line => line.startsWith('|'))
  const rest = lines.slice(first)
  const end = rest.findIndex(line => !line.startsWith('|'))
  return end === -1 ? rest : rest.slice(0, end)
}

/** Every table in the summary keeps its shape: each row has as many cells as its header. */
function expectWellFormedTables(markdown: string): void {
  const lines = markdown.split('\n')
  let columns: number | undefined
  for (const line of lines) {
    if (!line.startsWith('|')) {
      columns = undefined
      continue
    }
    expect(line.endsWith('|')).toBe(true)
    const count = cells(line).length
    columns ??= count
    expect(count).toBe(columns)
  }
}

/** No HTML but the summary's own <details> and <summary>. */
function expectNoForeignHtml(markdown: string): void {
  const stripped = markdown.replace(/<\/?(details|summary)>/g, '')
  expect(stripped).not.toContain('<')
}

describe('renderSummary: headline and facts', () => {
  it.each([
    ['passed', /^## .*scan passed$/],
    ['failed', /^## .*scan failed$/],
    ['error', /^## .*could not be completed$/],
    ['timeout', /^## .*timed out$/],
    ['started', /^## .*scan started$/]
  ] as [Result, RegExp][])('starts with the %s headline', (result, headline) => {
    const summary = renderSummary({ result }, POLICY)
    expect(summary.split('\n')[0]).toMatch(headline)
  })

  it('has a different headline for every result', () => {
    const results: Result[] = ['passed', 'failed', 'error', 'timeout', 'started']
    const headlines = results.map(result => renderSummary({ result }, POLICY).split('\n')[0])
    expect(new Set(headlines).size).toBe(results.length)
  })

  it('lists the facts of the run', () => {
    const summary = renderSummary(
      {
        result: 'timeout',
        scanId: '4711',
        statusCode: 101,
        waitedMs: 3_723_000,
        reportPath: '/work/space/crashtest-report.xml',
        message: 'The scan did not finish within 60 minutes.'
      },
      POLICY
    )
    expect(summary).toContain('| Scan | 4711 |')
    expect(summary).toContain('| Last status code | 101 |')
    expect(summary).toContain('| Waited | 1h 02m 03s |')
    expect(summary).toContain('| Report file | `/work/space/crashtest-report.xml` |')
    expect(summary).toContain('> The scan did not finish within 60 minutes.')
    expect(summary).not.toContain('Findings')
    expect(summary.endsWith('\n')).toBe(true)
  })

  it('links the report artifact when it has a URL', () => {
    const url = 'https://github.com/owner/repo/actions/runs/1/artifacts/99'
    const summary = renderSummary(
      { result: 'passed', reportPath: '/r.xml', artifact: { id: 99, name: 'crashtest-report-4711', url } },
      POLICY
    )
    expect(summary).toContain(`| Report artifact | [crashtest-report-4711](${url}) |`)
    expect(summary).not.toContain('Report file')
  })

  it('names the report artifact without a link when it has no URL', () => {
    const summary = renderSummary(
      { result: 'passed', artifact: { id: 99, name: 'crashtest-report-4711' } },
      POLICY
    )
    expect(summary).toContain('| Report artifact | crashtest-report-4711 |')
    expect(summary).not.toContain('](')
  })
})

describe('renderSummary: verdict', () => {
  const scan = report([
    finding('critical', 'SQL injection'),
    finding('high', 'Reflected XSS'),
    finding('high', 'Stored XSS'),
    finding('low', 'Cookie flags'),
    finding('info', 'Server banner')
  ])

  it('shows the rules and the counts table', () => {
    const summary = renderSummary(judged(scan), { failOn: 'high', maxFindings: { low: 0 } })
    expect(summary).toContain('**Rules:** fail-on: high; max-findings: low=0')
    const rows = tableAfter(summary, '**Broken:**')
    expect(rows.slice(2).map(cells)).toEqual([
      ['🟥 Critical', '1'],
      ['🟧 High', '2'],
      ['🟨 Medium', '0'],
      ['🟦 Low', '1'],
      ['⬜ Info', '1']
    ])
  })

  it('lists each broken rule', () => {
    const policy: PolicySettings = { failOn: 'high', maxFindings: { low: 0 } }
    const summary = renderSummary(judged(scan, policy), policy)
    expect(summary).toContain('❌')
    expect(summary).toContain(
      '**Broken:**\n\n- fail-on: high — 3 findings of severity high or worse\n- max-findings: low=0 — 1 low findings exceed the budget of 0'
    )
    expect(summary).not.toContain('No rule was broken.')
  })

  it('says that no rule was broken when the scan passed', () => {
    const policy: PolicySettings = { failOn: 'never', maxFindings: {} }
    const summary = renderSummary(judged(scan, policy), policy)
    expect(summary.split('\n')[0]).toMatch(/passed/)
    expect(summary).toContain('No rule was broken.')
    expect(summary).not.toContain('**Broken:**')
  })

  it('adds an unknown row to the counts only when there are unknown findings', () => {
    expect(renderSummary(judged(scan), POLICY)).not.toContain('Unknown')
    const withUnknown = renderSummary(judged(report([finding('unknown', 'Odd')])), POLICY)
    expect(withUnknown).toContain('| ❔ Unknown (judged as high) | 1 |')
  })
})

describe('renderSummary: findings', () => {
  it('lists findings most severe first and marks those that break a rule', () => {
    const scan = report([
      finding('info', 'Server banner'),
      finding('medium', 'Missing CSP'),
      finding('critical', 'SQL injection'),
      finding('low', 'Cookie flags'),
      finding('unknown', 'Odd one'),
      finding('high', 'Reflected XSS')
    ])
    const summary = renderSummary(judged(scan), POLICY)
    expect(summary).toContain('### Findings (6)')
    const rows = tableAfter(summary, '### Findings').map(cells)
    expect(rows[0]).toEqual(['Severity', 'Scanner', 'Title', 'Details', 'Fingerprint', 'Status'])
    expect(rows.slice(2).map(row => [row[2], row[5]])).toEqual([
      ['SQL injection', '**breaks fail-on**'],
      ['Reflected XSS', '**breaks fail-on**'],
      ['Odd one', '**breaks fail-on**'],
      ['Missing CSP', ''],
      ['Cookie flags', ''],
      ['Server banner', '']
    ])
    const sqlInjection = scan.findings[2] as Finding
    expect(rows[2]).toEqual([
      '🟥 Critical',
      'xss',
      'SQL injection',
      'message of SQL injection',
      `\`${sqlInjection.fingerprint}\``,
      '**breaks fail-on**'
    ])
  })

  it('shows the reported type of a finding of unknown severity', () => {
    const summary = renderSummary(
      judged(report([finding('unknown', 'Odd', { reportedType: 'weird' })])),
      POLICY
    )
    const row = tableAfter(summary, '### Findings').map(cells)[2]
    expect(row?.[0]).toMatch(/^❔ Unknown \(judged as high\) .*weird/)
  })

  it('says when the scan reported no findings', () => {
    const summary = renderSummary(judged(report([])), POLICY)
    expect(summary).toContain('The scan reported no findings.')
    expect(summary).not.toContain('Breaks a rule')
  })

  it('escapes untrusted text so that it cannot break the table or inject HTML', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      'a | b | c',
      'line one\nline two\r\n| injected | row | here | too | yes |',
      '`code` and ``` fences',
      '[click me](https://evil.example/) ![pixel](https://evil.example/p.png)',
      '&lt;script&gt; &#60;b&#62;',
      '# heading **bold** _em_ \\| escaped pipe'
    ].join(' ')
    const scan = report(
      [
        finding('unknown', `Title ${hostile}`, {
          scanner: `scan|ner<b>`,
          message: hostile,
          reportedType: `w|e<i>rd\``
        })
      ],
      {
        scannerErrors: [{ scanner: '<x>', title: `Err ${hostile}`, message: hostile }],
        skippedChecks: [{ scanner: 'y|z', title: 'Skip', message: hostile }]
      }
    )
    const outcome: OneTarget = { ...judged(scan), scanId: '<b>1</b>|2', message: `Boom ${hostile}` }
    const summary = renderSummary(outcome, POLICY)

    expectNoForeignHtml(summary)
    expectWellFormedTables(summary)
    expect(summary).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(summary).toContain('&amp;lt;script&amp;gt; &amp;\\#60;b&amp;\\#62;')
    expect(summary).not.toMatch(/(?<!\\)\[click me(?<!\\)\]/)
    expect(summary).not.toMatch(/(?<!\\)!\[pixel/)
    expect(summary).toContain('\\`code\\`')
    expect(summary).not.toMatch(/^\| injected/m)
    expect(summary).toContain('\\# heading \\*\\*bold\\*\\* \\_em\\_ \\\\\\| escaped pipe')
    // The blockquote with the run's message stays on one line.
    expect(summary).toMatch(/^> Boom .*pixel.*$/m)
    const findingRows = tableAfter(summary, '### Findings')
    expect(findingRows).toHaveLength(3)
    expect(cells(findingRows[2] as string)).toHaveLength(6)
  })

  it('keeps at most MAX_FINDING_ROWS rows and the summary far below 1 MiB for 10,000 findings', () => {
    const long = 'Reflected parameter q at https://target.example/search?q=<script> '.repeat(80)
    const findings = Array.from({ length: 10_000 }, (_, i) =>
      finding(
        (['critical', 'high', 'medium', 'low', 'info'] as const)[i % 5] ?? 'info',
        `Finding ${i} ${long}`,
        {
          message: `${i} ${long}`
        }
      )
    )
    const summary = renderSummary(judged(report(findings)), POLICY)
    const rows = tableAfter(summary, '### Findings').slice(2)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.length).toBeLessThanOrEqual(MAX_FINDING_ROWS)
    expect(summary).toContain('### Findings (10000)')
    expect(summary).toContain(`\n${10_000 - rows.length} more findings are not shown here`)
    expect(Buffer.byteLength(summary, 'utf8')).toBeLessThan(512 * 1024)
    // The most severe are the ones shown.
    expect(rows.every(row => row.startsWith('| 🟥 Critical'))).toBe(true)
  })

  it.each([
    ['ampersands', '&'],
    ['angle brackets', '<'],
    ['three-byte characters', '漢'],
    ['emoji', '😀']
  ])('stays below 1 MiB for 10,000 findings and notes full of %s', (_what, character) => {
    const text = character.repeat(5000)
    const findings = Array.from({ length: 10_000 }, () =>
      finding('high', text, { scanner: text, message: text, reportedType: text })
    )
    const notes: ScannerNote[] = Array.from({ length: 10_000 }, () => ({
      scanner: text,
      title: text,
      message: text
    }))
    const summary = renderSummary(
      judged(report(findings, { scannerErrors: notes, skippedChecks: notes })),
      POLICY
    )
    expect(Buffer.byteLength(summary, 'utf8')).toBeLessThan(1024 * 1024)
    expect(tableAfter(summary, '### Findings').length - 2).toBeLessThanOrEqual(MAX_FINDING_ROWS)
    expect(summary).toMatch(/\d+ more findings are not shown here/)
  })

  it('lists no "more findings" line when every finding is shown', () => {
    const summary = renderSummary(judged(report([finding('high', 'a'), finding('low', 'b')])), POLICY)
    expect(summary).not.toContain('more findings')
  })
})

describe('renderSummary: scanner notes', () => {
  const errors: ScannerNote[] = [
    { scanner: 'portscan', title: 'Port Scan', message: 'Connection timed out' },
    { scanner: 'ssl', title: 'TLS', message: 'Handshake failed' }
  ]
  const skipped: ScannerNote[] = [{ scanner: 'fuzzer', title: 'Fuzzer', message: 'Not configured' }]

  it('puts scanner errors and skipped checks in <details>', () => {
    const summary = renderSummary(
      judged(report([], { scannerErrors: errors, skippedChecks: skipped })),
      POLICY
    )
    const blocks = [...summary.matchAll(/<details><summary>(.*?)<\/summary>([\s\S]*?)<\/details>/g)]
    expect(blocks.map(block => block[1])).toEqual([
      'Scanner errors: checks that could not run (2)',
      'Skipped checks (1)'
    ])
    expect(blocks[0]?.[2]).toContain('| portscan | Port Scan | Connection timed out |')
    expect(blocks[0]?.[2]).toContain('| ssl | TLS | Handshake failed |')
    expect(blocks[1]?.[2]).toContain('| fuzzer | Fuzzer | Not configured |')
    expect(blocks[1]?.[2]).not.toContain('portscan')
  })

  it('has no <details> without scanner errors or skipped checks', () => {
    expect(renderSummary(judged(report([finding('high', 'x')])), POLICY)).not.toContain('<details>')
  })

  it('shows at most 50 notes of each kind and says how many more there are', () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ scanner: 's', title: `Check ${i}`, message: 'm' }))
    const summary = renderSummary(judged(report([], { scannerErrors: many })), POLICY)
    expect(summary).toContain('Scanner errors: checks that could not run (120)')
    expect(summary).toContain('| s | Check 49 | m |')
    expect(summary).not.toContain('| s | Check 50 | m |')
    expect(summary).toContain('70 more in the report.')
  })
})

describe('escapeCell', () => {
  it('turns control characters and line breaks into single spaces and trims', () => {
    expect(escapeCell('  a\nb\r\n\tc\u0000d\u007fe  ')).toBe('a b c d e')
  })

  it('escapes HTML, entities and Markdown syntax', () => {
    expect(escapeCell('<b>&amp;</b>')).toBe('&lt;b&gt;&amp;amp;&lt;/b&gt;')
    expect(escapeCell('\\ ` * _ [ ] | # !')).toBe('\\\\ \\` \\* \\_ \\[ \\] \\| \\# \\!')
    expect(escapeCell('[x](https://e.example)')).toBe('\\[x\\](https://e.example)')
  })

  it('keeps @name and @org/team from notifying anyone, and leaves e-mail addresses as they are', () => {
    const text = escapeCell('ping @octocat and @acme/security-team, or (@Ünï) @@x; mail a@b.test')
    expect(text).toBe(
      'ping @\u2060octocat and @\u2060acme/security-team, or (@\u2060Ünï) @@\u2060x; mail a@b.test'
    )
    expect(text).not.toMatch(/(^|[^\w])@[a-z]/i)
  })

  it('leaves plain text alone', () => {
    expect(escapeCell('TLS 1.1 is offered (port 443), see https://example.com/a-b?c=d')).toBe(
      'TLS 1.1 is offered (port 443), see https://example.com/a-b?c=d'
    )
  })

  it('clips to maxLength characters before escaping, marking the cut', () => {
    expect(escapeCell('abcdefghij', 5)).toBe('abcd…')
    expect(escapeCell('abcde', 5)).toBe('abcde')
    expect(escapeCell('x'.repeat(1000))).toHaveLength(300)
    expect(escapeCell('<<<<<<', 3)).toBe('&lt;&lt;…')
  })
})

describe('table', () => {
  it('renders a header, a separator and one line per row', () => {
    expect(
      table(
        ['A', 'B'],
        [
          ['1', '2'],
          ['3', '4']
        ]
      )
    ).toBe('| A | B |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |')
  })

  it('renders a table without rows', () => {
    expect(table(['Only'], [])).toBe('| Only |\n| --- |')
  })
})
