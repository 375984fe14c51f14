import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { MAX_MARKUP_CHARS, parseJunitReport, ReportError } from '../../src/engine/report/junit.js'
import { MAX_SCANNER_NAMES, type Finding, type ScanReport } from '../../src/engine/report/findings.js'
import { fingerprint, locate } from '../../src/engine/report/fingerprint.js'

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<string | Buffer> {
  for (const part of parts) yield part
}

type PlainFinding = Omit<Finding, 'fingerprint' | 'url' | 'parameter'>

/**
 * Parses a whole report, checks that every finding carries the identity the fingerprint module gives
 * it, and returns the findings without it, so that the content tests compare what the report says.
 */
async function parse(xml: string): Promise<Omit<ScanReport, 'findings'> & { findings: PlainFinding[] }> {
  const report = await parseJunitReport(chunks(xml))
  const findings = report.findings.map(({ fingerprint: print, url, parameter, ...plain }) => {
    expect({ print, url, parameter }).toEqual({ print: fingerprint(plain), ...locate(plain.message) })
    return plain
  })
  return { ...report, findings }
}

async function reportError(source: AsyncIterable<string | Buffer>): Promise<ReportError> {
  let thrown: unknown
  try {
    await parseJunitReport(source)
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(ReportError)
  expect((thrown as ReportError).name).toBe('ReportError')
  return thrown as ReportError
}

/** The report from the API notes, as the service sends it. */
const DOC_SAMPLE = `<testsuites name="" tests="16553" disabled="0" errors="5" failures="440" time="128361">
  <testsuite name="Crashtest Security Suite" tests="16553" disabled="0" errors="5" failures="440" skipped="0" time="128361">
    <testcase classname="ssl.crashtest.cloud" name="Transport Layer Security (TLS/SSL) (1)">
      <failure message="TLS 1.1 is offered by the server ..." type="high"/>
    </testcase>
    <testcase classname="xxe.crashtest.cloud" name="XML External Entity (XXE) (2740)"/>
  </testsuite>
</testsuites>`

/** Every kind of testcase, with multi-byte text in attributes, text and CDATA. */
const MIXED = `<testsuites>
<testsuite name="Crashtest Security Suite">
<testcase classname="xss.crashtest.cloud" name="Cross-Site Scripting (12)"><failure type="CRITICAL" message="Reflected in « q » — 漢字 😀"/></testcase>
<testcase classname="sqlinjection.crashtest.cloud" name="SQL Injection (3)"><failure type="medium">Parameter ‘id’ &amp; more — ü</failure></testcase>
<testcase classname="headers.crashtest.cloud" name="Headers (4)"><failure type="low"><![CDATA[<b>X-Frame-Options</b> missing ✓]]></failure></testcase>
<testcase classname="portscan.crashtest.cloud" name="Port Scan (5)"><failure type="error" message="Timeout ⏱"/></testcase>
<testcase classname="fuzzer.crashtest.cloud" name="Fuzzer (6)"><skipped message="Not configured ∅"/></testcase>
<testcase classname="odd.crashtest.cloud" name="Odd (7)"><failure type="weird" message="Ω"/></testcase>
<testcase classname="ok.crashtest.cloud" name="Passed check (8)"/>
</testsuite>
</testsuites>
`

/** A finding as the parser gives it: with its fingerprint and the URL and parameter its message names. */
function identified(finding: Omit<Finding, 'fingerprint'>): Finding {
  return { ...finding, fingerprint: fingerprint(finding), ...locate(finding.message) }
}

const MIXED_EXPECTED: ScanReport = {
  testcases: 7,
  scanners: new Set(['xss', 'sqlinjection', 'headers', 'portscan', 'fuzzer', 'odd', 'ok']),
  findings: (
    [
      {
        scanner: 'xss',
        title: 'Cross-Site Scripting',
        severity: 'critical',
        reportedType: 'CRITICAL',
        message: 'Reflected in « q » — 漢字 😀'
      },
      {
        scanner: 'sqlinjection',
        title: 'SQL Injection',
        severity: 'medium',
        reportedType: 'medium',
        message: 'Parameter ‘id’ & more — ü'
      },
      {
        scanner: 'headers',
        title: 'Headers',
        severity: 'low',
        reportedType: 'low',
        message: '<b>X-Frame-Options</b> missing ✓'
      },
      { scanner: 'odd', title: 'Odd', severity: 'unknown', reportedType: 'weird', message: 'Ω' }
    ] as Omit<Finding, 'fingerprint'>[]
  ).map(identified),
  scannerErrors: [{ scanner: 'portscan', title: 'Port Scan', message: 'Timeout ⏱' }],
  skippedChecks: [{ scanner: 'fuzzer', title: 'Fuzzer', message: 'Not configured ∅' }]
}

function testcase(inner: string, attributes = 'classname="x.crashtest.cloud" name="Check (1)"'): string {
  return `<testsuites><testsuite><testcase ${attributes}>${inner}</testcase></testsuite></testsuites>`
}

/** A small deterministic generator, so that a failing split can be reproduced. */
function seededRandom(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state / 2 ** 31
  }
}

describe('parseJunitReport: content', () => {
  it('reads the sample report of the API notes', async () => {
    expect(await parse(DOC_SAMPLE)).toEqual({
      testcases: 2,
      scanners: new Set(['ssl', 'xxe']),
      findings: [
        {
          scanner: 'ssl',
          title: 'Transport Layer Security (TLS/SSL)',
          severity: 'high',
          reportedType: 'high',
          message: 'TLS 1.1 is offered by the server ...'
        }
      ],
      scannerErrors: [],
      skippedChecks: []
    })
  })

  it('reads every kind of testcase', async () => {
    expect(await parseJunitReport(chunks(MIXED))).toEqual(MIXED_EXPECTED)
  })

  it.each([
    ['critical', 'critical'],
    ['HIGH', 'high'],
    ['High', 'high'],
    ['MEDIUM', 'medium'],
    ['Low', 'low'],
    ['INFO', 'info'],
    [' high ', 'high']
  ])('reads the severity type="%s" as %s and keeps the reported type', async (type, severity) => {
    const report = await parse(testcase(`<failure type="${type}" message="m"/>`))
    expect(report.findings).toEqual([
      { scanner: 'x', title: 'Check', severity, reportedType: type.trim(), message: 'm' }
    ])
  })

  it.each(['weird', '', 'critical-ish', 'warning', 'fail'])(
    'reads the unknown type="%s" as severity unknown, keeping the reported type',
    async type => {
      const report = await parse(testcase(`<failure type="${type}" message="m"/>`))
      expect(report.findings).toEqual([
        { scanner: 'x', title: 'Check', severity: 'unknown', reportedType: type, message: 'm' }
      ])
    }
  )

  it('reads a failure without a type as severity unknown', async () => {
    const report = await parse(testcase('<failure message="m"/>'))
    expect(report.findings).toEqual([
      { scanner: 'x', title: 'Check', severity: 'unknown', reportedType: '', message: 'm' }
    ])
  })

  it.each([
    ['<failure type="error" message="could not connect"/>', 'error'],
    ['<failure type="ERROR" message="could not connect"/>', 'error'],
    ['<error message="could not connect"/>', 'error'],
    ['<error type="high" message="could not connect"/>', 'error'],
    ['<failure type="skipped" message="could not connect"/>', 'skipped'],
    ['<failure type="Skipped" message="could not connect"/>', 'skipped'],
    ['<skipped message="could not connect"/>', 'skipped'],
    ['<skipped type="critical" message="could not connect"/>', 'skipped']
  ])('reads %s as a scanner %s, not as a finding', async (inner, kind) => {
    const report = await parse(testcase(inner))
    const note = { scanner: 'x', title: 'Check', message: 'could not connect' }
    expect(report).toEqual({
      testcases: 1,
      scanners: new Set(['x']),
      findings: [],
      scannerErrors: kind === 'error' ? [note] : [],
      skippedChecks: kind === 'skipped' ? [note] : []
    })
  })

  it('reads a bare <skipped/> as a skipped check without a message', async () => {
    const report = await parse(testcase('<skipped/>'))
    expect(report.skippedChecks).toEqual([{ scanner: 'x', title: 'Check', message: '' }])
    expect(report.findings).toEqual([])
  })

  it.each([
    ['XSS (123)', 'XSS'],
    ['XSS(1)', 'XSS'],
    ['XSS (1) ', 'XSS'],
    ['Transport Layer Security (TLS/SSL) (1)', 'Transport Layer Security (TLS/SSL)'],
    ['Version (2) check', 'Version (2) check'],
    ['Name (v2)', 'Name (v2)'],
    ['Counter (12) (34)', 'Counter (12)']
  ])('strips the running counter from the title %j', async (name, title) => {
    const report = await parse(testcase('<failure type="high"/>', `classname="x" name="${name}"`))
    expect(report.findings[0]?.title).toBe(title)
  })

  it.each([
    ['xss.crashtest.cloud', 'xss'],
    ['SQLInjection.Crashtest.Cloud', 'SQLInjection'],
    ['portscan', 'portscan'],
    ['crashtest.cloud.example', 'crashtest.cloud.example'],
    ['', '']
  ])('strips .crashtest.cloud from the classname %j', async (classname, scanner) => {
    const report = await parse(testcase('<failure type="high"/>', `classname="${classname}" name="n"`))
    expect(report.findings[0]?.scanner).toBe(scanner)
  })

  it.each([
    ['the attribute', '<failure type="high" message="from attribute">from text</failure>', 'from attribute'],
    ['the element text', '<failure type="high">\n  from   text &lt;x&gt;\n</failure>', 'from   text <x>'],
    ['CDATA', '<failure type="high"><![CDATA[a < b && c]]></failure>', 'a < b && c'],
    ['text and CDATA', '<failure type="high">one <![CDATA[<two>]]> three</failure>', 'one <two> three'],
    ['an empty attribute, then the text', '<failure type="high" message="">from text</failure>', 'from text'],
    ['an <error> element text', '<error>stack trace</error>', 'stack trace']
  ])('takes the message from %s', async (_source, inner, message) => {
    const report = await parse(testcase(inner))
    const [item] = [...report.findings, ...report.scannerErrors]
    expect(item?.message).toBe(message)
  })

  it('takes no text from outside the failure element into its message', async () => {
    const report = await parse(
      testcase('<failure type="high"/>\n<system-out>log line</system-out>\n<system-err>more</system-err>')
    )
    expect(report.findings[0]?.message).toBe('')
    const withText = await parse(
      testcase('<failure type="high">real</failure><system-out>log line</system-out>')
    )
    expect(withText.findings[0]?.message).toBe('real')
  })

  it('keeps only the first outcome of a testcase', async () => {
    const report = await parse(
      testcase('<failure type="low" message="first"/><failure type="critical" message="second"/>')
    )
    expect(report.findings).toEqual([
      { scanner: 'x', title: 'Check', severity: 'low', reportedType: 'low', message: 'first' }
    ])
  })

  it('clips a very long message', async () => {
    const fromAttribute = await parse(testcase(`<failure type="high" message="${'a'.repeat(50_000)}"/>`))
    expect(fromAttribute.findings[0]?.message).toBe(`${'a'.repeat(3999)}…`)
    const fromText = await parse(testcase(`<failure type="high">${'b'.repeat(50_000)}</failure>`))
    expect(fromText.findings[0]?.message).toMatch(/^b{3999}.$/)
  })

  it('counts every testcase, with or without an outcome, across suites', async () => {
    const passing = '<testcase classname="a" name="b"/>'
    const failing = '<testcase classname="a" name="c"><failure type="info"/></testcase>'
    const xml = `<testsuites><testsuite>${passing.repeat(5)}${failing}</testsuite><testsuite>${passing}${failing.repeat(2)}</testsuite></testsuites>`
    const report = await parse(xml)
    expect(report.testcases).toBe(9)
    expect(report.findings).toHaveLength(3)
  })

  it('accepts a bare <testsuite> root', async () => {
    const report = await parse(
      '<testsuite name="s"><testcase classname="ssl.crashtest.cloud" name="TLS (1)"><failure type="high" message="m"/></testcase></testsuite>'
    )
    expect(report).toEqual({
      testcases: 1,
      scanners: new Set(['ssl']),
      findings: [{ scanner: 'ssl', title: 'TLS', severity: 'high', reportedType: 'high', message: 'm' }],
      scannerErrors: [],
      skippedChecks: []
    })
  })

  it('accepts an XML declaration and an empty report', async () => {
    expect(await parse('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites/>')).toEqual({
      testcases: 0,
      scanners: new Set(),
      findings: [],
      scannerErrors: [],
      skippedChecks: []
    })
  })
})

describe('parseJunitReport: chunking', () => {
  const bytes = Buffer.from(MIXED, 'utf8')

  it('has multi-byte characters to split in the report under test', () => {
    expect(bytes.length).toBeGreaterThan(MIXED.length)
  })

  it('gives the same result for the report split in two at every byte offset', async () => {
    for (let offset = 0; offset <= bytes.length; offset++) {
      const report = await parseJunitReport(chunks(bytes.subarray(0, offset), bytes.subarray(offset)))
      expect(report).toEqual(MIXED_EXPECTED)
    }
  })

  it('gives the same result for the report split in two at every character offset of a string', async () => {
    for (let offset = 0; offset <= MIXED.length; offset++) {
      const report = await parseJunitReport(chunks(MIXED.slice(0, offset), MIXED.slice(offset)))
      expect(report).toEqual(MIXED_EXPECTED)
    }
  })

  it('gives the same result for the report fed one byte at a time', async () => {
    const single = [...bytes].map(byte => Buffer.from([byte]))
    expect(await parseJunitReport(chunks(...single))).toEqual(MIXED_EXPECTED)
  })

  it('gives the same result for many random splits into small Buffer chunks', async () => {
    const random = seededRandom(42)
    for (let round = 0; round < 200; round++) {
      const parts: Buffer[] = []
      for (let start = 0; start < bytes.length;) {
        const end = Math.min(bytes.length, start + 1 + Math.floor(random() * 24))
        parts.push(bytes.subarray(start, end))
        start = end
      }
      expect(await parseJunitReport(chunks(...parts))).toEqual(MIXED_EXPECTED)
    }
  })

  it('keeps a 4-byte character whole when split inside it', async () => {
    const xml = Buffer.from(testcase('<failure type="high" message="a😀b"/>'), 'utf8')
    const start = xml.indexOf(Buffer.from('😀', 'utf8'))
    for (const cut of [1, 2, 3]) {
      const report = await parseJunitReport(
        chunks(xml.subarray(0, start + cut), xml.subarray(start + cut, start + 4), xml.subarray(start + 4))
      )
      expect(report.findings[0]?.message).toBe('a😀b')
    }
  })
})

describe('parseJunitReport: long markup', () => {
  const longMessage = 'x'.repeat(100_000)
  const report = testcase(`<failure type="high" message="${longMessage}"/>`)

  it('reads a 100 KB attribute the same whether it arrives whole or in 16 KiB chunks', async () => {
    const pieces = report.match(/[\s\S]{1,16384}/g) ?? []
    expect(pieces.length).toBeGreaterThan(5)
    const whole = await parseJunitReport(chunks(report))
    expect(await parseJunitReport(chunks(...pieces))).toEqual(whole)
    expect(whole.findings[0]?.message.length).toBeLessThan(longMessage.length)
  })

  it('refuses an attribute far longer than the markup limit (sax checks it lazily, so up to twice the limit passes)', async () => {
    const huge = testcase(`<failure type="high" message="${'y'.repeat(2 * MAX_MARKUP_CHARS + 10)}"/>`)
    const error = await reportError(chunks(...(huge.match(/[\s\S]{1,65536}/g) ?? [])))
    expect(error.message).toContain('longer than 4,194,304 characters')
  })
})

describe('parseJunitReport: refusals', () => {
  it.each([
    ['an unclosed element', '<testsuites><testsuite><testcase></testsuite></testsuites>'],
    ['a truncated report', '<testsuites><testsuite><testcase classname="a" name="b">'],
    ['an unquoted attribute', '<testsuites><testsuite name=x></testsuite></testsuites>'],
    ['an undefined entity', testcase('<failure type="high">&undefined;</failure>')],
    ['an undefined entity in an attribute', testcase('<failure type="high" message="&undefined;"/>')],
    ['text outside the root', '<testsuites/>trailing'],
    ['text before the root', 'not xml at all'],
    ['a JSON error answer', '{"message": "Report not ready"}']
  ])('refuses %s as malformed XML, with line and column', async (_what, xml) => {
    const error = await reportError(chunks(xml))
    expect(error.message).toMatch(/^The report is not well-formed XML: .+ \(line \d+, column \d+\)$/)
  })

  it('names the line of the error', async () => {
    const error = await reportError(
      chunks('<testsuites>\n<testsuite>\n<testcase></testsuite>\n</testsuites>')
    )
    expect(error.message).toMatch(/\(line 3, column \d+\)$/)
  })

  it('refuses malformed XML fed in small chunks, stopping at the first error', async () => {
    let pulled = 0
    async function* many(): AsyncGenerator<string> {
      yield '<testsuites><oops></testsuites>'
      for (; pulled < 1000; pulled++) yield '<testsuite/>'
    }
    await reportError(many())
    expect(pulled).toBe(0)
  })

  it('refuses a report cut inside a multi-byte character after the root', async () => {
    const cut = Buffer.from('é', 'utf8').subarray(0, 1)
    const error = await reportError(chunks(Buffer.from('<testsuites></testsuites>'), cut))
    expect(error.message).toMatch(/not well-formed/)
  })

  it.each([
    ['no chunk at all', chunks()],
    ['an empty string', chunks('')],
    ['an empty Buffer', chunks(Buffer.alloc(0))],
    ['white space', chunks('  \n\t ')]
  ])('refuses %s as an empty report', async (_what, source) => {
    const error = await reportError(source)
    expect(error.message).toMatch(/empty/)
  })

  it.each([
    ['<html><body>Bad gateway</body></html>', 'html'],
    ['<testcase classname="a" name="b"/>', 'testcase'],
    ['<TestSuites/>', 'TestSuites'],
    ['<results><testsuites/></results>', 'results']
  ])('refuses %s: the root is not testsuites or testsuite', async (xml, root) => {
    const error = await reportError(chunks(xml))
    expect(error.message).toContain(`its root element is <${root}>`)
  })

  const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<testsuites><testsuite><testcase classname="a" name="b"><failure type="high" message="&lol9;">&lol9;</failure></testcase></testsuite></testsuites>`

  const XXE = `<!DOCTYPE testsuites [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<testsuites><testsuite><testcase classname="a" name="b"><failure type="high" message="&xxe;">&xxe;</failure></testcase></testsuite></testsuites>`

  it.each([
    ['billion laughs', BILLION_LAUGHS],
    ['an external entity', XXE]
  ])('refuses a DOCTYPE (%s)', async (_what, xml) => {
    const error = await reportError(chunks(xml))
    expect(error.message).toMatch(/DOCTYPE/)
    expect(error.message.length).toBeLessThan(300)
  })

  it('refuses a DOCTYPE fed one character at a time', async () => {
    const error = await reportError(chunks(...XXE.split('')))
    expect(error.message).toMatch(/DOCTYPE/)
  })

  it('never reads the file of an external entity into the error', async () => {
    const error = await reportError(chunks(XXE))
    expect(error.message).not.toMatch(/root:|nologin|\/bin\/(ba)?sh/)
    if (existsSync('/etc/passwd')) {
      const lines = readFileSync('/etc/passwd', 'utf8').split('\n').filter(Boolean)
      for (const line of lines) expect(error.message).not.toContain(line)
    }
  })
})

describe('parseJunitReport: which checks ran', () => {
  it('names the scanner of every testcase, passed ones included, in lower case and once each', async () => {
    const report = await parse(
      '<testsuites><testsuite><testcase classname="XSS.crashtest.cloud" name="a (1)"/><testcase classname="xss.crashtest.cloud" name="b (2)"><failure type="low" message="m"/></testcase><testcase classname="custom.check" name="c (3)"/></testsuite></testsuites>'
    )
    expect(report.scanners).toEqual(new Set(['xss', 'custom.check']))
  })

  it('knows none of them when the report names more scanners than any real scan runs', async () => {
    const testcases = Array.from(
      { length: MAX_SCANNER_NAMES + 1 },
      (_, n) => `<testcase classname="s${n}" name="c"/>`
    )
    const report = await parse(`<testsuites><testsuite>${testcases.join('')}</testsuite></testsuites>`)
    expect(report.testcases).toBe(MAX_SCANNER_NAMES + 1)
    expect(report.scanners).toBeUndefined()
  })
})
