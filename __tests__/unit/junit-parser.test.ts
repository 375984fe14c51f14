// The report parser fed part by part, as the action feeds it while the report downloads.
import { describe, expect, it } from '@jest/globals'
import { createJunitParser, parseJunitReport } from '../../src/report/junit.js'
import { renderJunitReport } from '../../simulator/junit.js'
import { DEMO_FINDINGS } from '../../simulator/webhook-api.js'

const REPORT = renderJunitReport(DEMO_FINDINGS, 40)

async function* whole(text: string): AsyncIterable<string> {
  yield text
}

describe('createJunitParser', () => {
  it('reads a report cut into byte chunks, even inside a character, as the whole report', async () => {
    const bytes = Buffer.from(REPORT.replace('demo.example.test', 'démo.example.test'), 'utf8')
    const cut = bytes.indexOf(Buffer.from('é')) + 1 // between the two bytes of é
    const parser = createJunitParser()
    for (const chunk of [bytes.subarray(0, cut), bytes.subarray(cut, cut + 7), bytes.subarray(cut + 7)]) {
      expect(parser.write(chunk)).toBe(true)
    }
    const report = parser.end()
    expect(report).toEqual(await parseJunitReport(whole(bytes.toString('utf8'))))
    expect(report.testcases).toBe(DEMO_FINDINGS.length + 40)
    expect(report.findings.map(f => f.message).join('\n')).toContain('démo.example.test')
  })

  it('never throws while reading; says when the report is unreadable; end() throws the first reason', () => {
    const parser = createJunitParser()
    expect(parser.write('<testsuites><testsuite><testcase classname="x"></testsuite>')).toBe(false)
    expect(parser.write('<more/>')).toBe(false)
    expect(() => parser.end()).toThrow(/not well-formed XML.*line 1/)
  })

  it('refuses a DOCTYPE and an empty report at the end', () => {
    const doctype = createJunitParser()
    doctype.write('<!DOCTYPE testsuites [<!ENTITY x "y">]><testsuites/>')
    expect(() => doctype.end()).toThrow(/DOCTYPE/)
    expect(() => createJunitParser().end()).toThrow('The report is empty')
  })
})
