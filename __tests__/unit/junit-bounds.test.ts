// The parser's limits on hostile reports, fed directly (the e2e suite feeds them through the action).
import { describe, expect, it } from '@jest/globals'
import {
  MAX_ATTRIBUTES,
  MAX_DEPTH,
  MAX_MARKUP_CHARS,
  parseJunitReport
} from '../../src/engine/report/junit.js'

const OPEN = '<testsuites><testsuite name="Crashtest Security Suite">'
const CLOSE = '</testsuite></testsuites>'
const finding = (message: string, name = 'XSS (1)') =>
  `<testcase classname="xss.crashtest.cloud" name="${name}"><failure message="${message}" type="high"/></testcase>`

const parse = (...chunks: Array<string | Buffer>) =>
  parseJunitReport(
    (async function* () {
      yield* chunks
    })()
  )

describe('parseJunitReport bounds', () => {
  it('reads a report given as one chunk far larger than a write', async () => {
    const body = Array.from({ length: 5000 }, (_, n) => finding(`m${n}`, `XSS (${n})`)).join('')
    const report = await parse(`${OPEN}${body}${CLOSE}`)
    expect(report.findings).toHaveLength(5000)
  })

  it('refuses an attribute value beyond the markup limit, even when it arrives in one chunk', async () => {
    await expect(parse(`${OPEN}${finding('A'.repeat(2 * MAX_MARKUP_CHARS))}${CLOSE}`)).rejects.toThrow(
      `The report has an attribute value longer than ${MAX_MARKUP_CHARS.toLocaleString('en')} characters`
    )
  })

  // The limit is checked after every 8 KiB read, so markup is refused within 8 KiB of passing it.
  const LONG = 'a'.repeat(MAX_MARKUP_CHARS + 16 * 1024)
  it.each([
    ['an element name', `${OPEN}<x${LONG}/>${CLOSE}`],
    ['an element name', `${OPEN}<x></x${LONG}>${CLOSE}`],
    ['an attribute name', `${OPEN}<testcase ${LONG}="1"/>${CLOSE}`],
    ['an attribute value', `${OPEN}<testcase name='${LONG}'/>${CLOSE}`],
    ['a comment', `${OPEN}<!--${LONG}-->${CLOSE}`],
    ['a processing instruction', `${OPEN}<?p${LONG}?>${CLOSE}`],
    ['a processing instruction', `${OPEN}<?p ${LONG}?>${CLOSE}`],
    ['an entity reference', `${OPEN}<testcase name="&${LONG};"/>${CLOSE}`],
    ['an XML declaration', `<?xml version="1.0" encoding="${LONG}"?>${OPEN}${CLOSE}`],
    ['a DOCTYPE declaration', `<!DOCTYPE testsuites PUBLIC "${LONG}">${OPEN}${CLOSE}`]
  ])('refuses %s beyond the markup limit, by name', async (what, xml) => {
    const bytes = Buffer.from(xml)
    // Fed in network-sized chunks, as the download feeds it.
    const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, n) =>
      bytes.subarray(n * 65536, (n + 1) * 65536)
    )
    await expect(parse(...chunks)).rejects.toThrow(
      `The report has ${what} longer than ${MAX_MARKUP_CHARS.toLocaleString('en')} characters`
    )
  })

  it('passes long CDATA on instead of refusing it', async () => {
    const text = 'C'.repeat(2 * MAX_MARKUP_CHARS)
    const report = await parse(
      `${OPEN}<testcase classname="xss" name="X (1)"><failure type="low"><![CDATA[${text}]]></failure></testcase>${CLOSE}`
    )
    expect(report.findings[0]?.message).toBe(text.slice(0, 4000))
  })

  it('keeps an attribute value just within the markup limit, clipped for display, no character cut in half', async () => {
    // Characters outside the BMP are two code units, which a write may split.
    const message = '😀'.repeat(MAX_MARKUP_CHARS / 2 - 1000)
    const report = await parse(`${OPEN}${finding(message)}${CLOSE}`)
    expect(report.findings[0]?.message).toBe(`${'😀'.repeat(3999)}…`)
  })

  it('passes long text between elements on instead of refusing it', async () => {
    const text = 'T'.repeat(4 * MAX_MARKUP_CHARS)
    const report = await parse(
      `${OPEN}<testcase classname="xss" name="X (1)"><failure type="low">${text}</failure></testcase>${CLOSE}`
    )
    expect(report.findings[0]?.message).toHaveLength(4000)
  })

  it(`refuses nesting deeper than ${MAX_DEPTH} levels and accepts it up to there`, async () => {
    const nested = (levels: number) => `${'<testsuite>'.repeat(levels)}${'</testsuite>'.repeat(levels)}`
    await expect(parse(`<testsuites>${nested(MAX_DEPTH - 1)}</testsuites>`)).resolves.toMatchObject({
      testcases: 0
    })
    await expect(parse(`<testsuites>${nested(MAX_DEPTH)}</testsuites>`)).rejects.toThrow(
      `The report nests elements deeper than ${MAX_DEPTH} levels`
    )
  })

  it(`refuses more than ${MAX_ATTRIBUTES} attributes on one element`, async () => {
    // `name` and count - 1 more.
    const attributes = (count: number) => Array.from({ length: count - 1 }, (_, n) => ` a${n}="x"`).join('')
    await expect(
      parse(`${OPEN}<testcase name="A (1)"${attributes(MAX_ATTRIBUTES)}/>${CLOSE}`)
    ).resolves.toMatchObject({ testcases: 1 })
    await expect(
      parse(`${OPEN}<testcase name="A (1)"${attributes(MAX_ATTRIBUTES + 1)}/>${CLOSE}`)
    ).rejects.toThrow(`more than ${MAX_ATTRIBUTES} attributes`)
  })

  it('refuses a DOCTYPE before any entity in it is used', async () => {
    const report = `<!DOCTYPE t [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>${OPEN}${finding('&b;')}${CLOSE}`
    await expect(parse(report)).rejects.toThrow('The report has a DOCTYPE declaration')
  })

  it('keeps a quoted tag name in an error short', async () => {
    const name = 'x'.repeat(10_000)
    const error = await parse(`${OPEN}</${name}>`).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message.length).toBeLessThan(400)
  })

  it('clips titles and scanner names of findings', async () => {
    const long = 'n'.repeat(5000)
    const report = await parse(
      `${OPEN}<testcase classname="${long}" name="${long} (1)"><failure message="m" type="high"/></testcase>${CLOSE}`
    )
    expect(report.findings[0]?.title.length).toBeLessThanOrEqual(500)
    expect(report.findings[0]?.scanner.length).toBeLessThanOrEqual(500)
  })
})
