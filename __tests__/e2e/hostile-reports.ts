// Reports built to hurt a parser, for the reliability suite (docs/reliability.md). Large ones are written to
// a file chunk by chunk and served from there, so neither the test nor the simulator holds them whole.
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

const OPEN = '<testsuites name="" tests="1"><testsuite name="Crashtest Security Suite" tests="1">'
const CLOSE = '</testsuite></testsuites>\n'

/** Ten entities of ten references each: 10^9 "lol"s, 3 GB, if a parser expanded them. */
export function billionLaughs(): string {
  const entities = ['<!ENTITY lol0 "lol">']
  for (let level = 1; level <= 9; level++) {
    entities.push(`<!ENTITY lol${level} "${`&lol${level - 1};`.repeat(10)}">`)
  }
  return `<?xml version="1.0"?>\n<!DOCTYPE testsuites [\n${entities.join('\n')}\n]>\n${OPEN}<testcase classname="xss.crashtest.cloud" name="&lol9;"><failure message="&lol9;" type="high"/></testcase>${CLOSE}`
}

/** External entities naming local files, referenced where the action shows text: title and message. */
export function externalEntities(paths: string[]): string {
  const entities = paths.map((path, n) => `<!ENTITY file${n} SYSTEM "file://${path}">`)
  const references = paths.map((_, n) => `&file${n};`).join(' ')
  return `<!DOCTYPE testsuites [\n${entities.join('\n')}\n]>\n${OPEN}<testcase classname="xxe.crashtest.cloud" name="${references}"><failure message="${references}" type="high">${references}</failure></testcase>${CLOSE}`
}

/** An XInclude of a local file inside a finding; XML without a DOCTYPE, so only an XInclude processor would read it. */
export function xinclude(path: string): string {
  return `${OPEN}<testcase classname="xss.crashtest.cloud" name="Included (1)"><failure type="high"><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://${path}" parse="text"/></failure></testcase>${CLOSE}`
}

export function* deepNesting(levels: number): Generator<string> {
  yield '<testsuites>'
  for (let written = 0; written < levels; written += 10_000) yield '<testsuite>'.repeat(10_000)
}

export function* enormousAttribute(chars: number): Generator<string> {
  yield `${OPEN}<testcase classname="xss.crashtest.cloud" name="Huge (1)"><failure type="high" message="`
  for (let written = 0; written < chars; written += 1_000_000) yield 'A'.repeat(1_000_000)
  yield `"/></testcase>${CLOSE}`
}

export function* enormousElementName(chars: number): Generator<string> {
  yield `${OPEN}<testcase`
  for (let written = 0; written < chars; written += 1_000_000) yield 'x'.repeat(1_000_000)
  yield ` name="Huge (1)"/>${CLOSE}`
}

export function* manyAttributes(count: number): Generator<string> {
  yield `${OPEN}<testcase name="Many (1)"`
  for (let n = 0; n < count; n += 10_000) {
    yield Array.from({ length: 10_000 }, (_, i) => ` a${n + i}="x"`).join('')
  }
  yield `/>${CLOSE}`
}

/** Bytes of a fixed pseudo-random sequence (a linear congruential generator), so every run serves the same. */
export function binaryGarbage(size: number): Buffer {
  const bytes = Buffer.alloc(size)
  let state = 0x2545f491
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    bytes[i] = state >>> 24
  }
  return bytes
}

export interface LargeReportShape {
  testcases: number
  /** Every this many testcases, one is a finding; the others passed. */
  findingEvery: number
}

/** The shape of a real report (mostly passed checks, a few findings of every severity), as large as asked. */
export function* largeReport({ testcases, findingEvery }: LargeReportShape): Generator<string> {
  const severities = ['critical', 'high', 'medium', 'low', 'info']
  yield `<testsuites name="" tests="${testcases}"><testsuite name="Crashtest Security Suite" tests="${testcases}">\n`
  let batch = ''
  for (let n = 1; n <= testcases; n++) {
    batch +=
      n % findingEvery === 0
        ? `<testcase classname="xss.crashtest.cloud" name="Cross-Site Scripting (XSS) (${n})"><failure message="Reflected XSS in parameter q${n} of https://app.example.test/pages/${n}" type="${severities[(n / findingEvery) % severities.length]}"/></testcase>\n`
        : `<testcase classname="sqlinjection.crashtest.cloud" name="SQL Injection in a parameter (${n})" time="0.25"/>\n`
    if (batch.length > 1 << 16) {
      yield batch
      batch = ''
    }
  }
  yield `${batch}</testsuite></testsuites>\n`
}

/** The report with more findings than the action keeps. */
export function* manyFindings(count: number): Generator<string> {
  yield* largeReport({ testcases: count, findingEvery: 1 })
}

export async function writeReport(path: string, content: Iterable<string> | Buffer | string): Promise<void> {
  const source = typeof content === 'string' || Buffer.isBuffer(content) ? [content] : content
  await pipeline(Readable.from(source), createWriteStream(path))
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
