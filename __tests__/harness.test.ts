// Unit tests of the e2e harness's parsers (no action is run here).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import { expectNoSecrets, parseWorkflowCommands, readOutputsFile, type ActionRun } from './e2e/harness.js'

let dir: string
let n = 0

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'harness-test-'))
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function outputsFile(content: string): string {
  const path = join(dir, `output_${n++}`)
  writeFileSync(path, content)
  return path
}

describe('readOutputsFile', () => {
  it('reads heredocs with multi-line values and name=value lines', () => {
    const path = outputsFile(
      [
        'scan-id<<ghadelimiter_1f0c',
        '12345',
        'ghadelimiter_1f0c',
        'report<<EOF',
        'line one',
        '',
        'line three with = and << inside',
        'EOF',
        'result=passed',
        'equation=a=b<<c',
        ''
      ].join('\n')
    )
    expect(readOutputsFile(path)).toEqual({
      'scan-id': '12345',
      report: 'line one\n\nline three with = and << inside',
      result: 'passed',
      equation: 'a=b<<c'
    })
  })

  it('keeps empty values, skips blank lines, and lets a later value win', () => {
    const path = outputsFile('\nempty<<EOF\nEOF\n\nplain=\nresult=failed\nresult<<X\npassed\nX\n')
    expect(readOutputsFile(path)).toEqual({ empty: '', plain: '', result: 'passed' })
  })

  it('handles CRLF line endings, keeping CRLF inside a value', () => {
    const path = outputsFile('a<<EOF\r\nx\r\ny\r\nEOF\r\nb=1\r\n')
    expect(readOutputsFile(path)).toEqual({ a: 'x\r\ny', b: '1' })
  })

  it('accepts a delimiter on the last line without a newline', () => {
    expect(readOutputsFile(outputsFile('a<<EOF\nv\nEOF'))).toEqual({ a: 'v' })
  })

  it('refuses what the runner refuses', () => {
    expect(() => readOutputsFile(outputsFile('a<<EOF\nvalue\n'))).toThrow('Matching delimiter not found')
    expect(() => readOutputsFile(outputsFile('a<<EOF\nvalue'))).toThrow('EOF marker missing new line')
    expect(() => readOutputsFile(outputsFile('=value\n'))).toThrow('Name must not be empty')
    expect(() => readOutputsFile(outputsFile('<<EOF\nv\nEOF\n'))).toThrow('Name must not be empty')
    expect(() => readOutputsFile(outputsFile('a<<\nv\n\n'))).toThrow('delimiter must not be empty')
    expect(() => readOutputsFile(outputsFile('no separator\n'))).toThrow("Invalid format 'no separator'")
  })

  it('reads a missing file as no outputs', () => {
    expect(readOutputsFile(join(dir, 'does-not-exist'))).toEqual({})
  })

  describe('with what @actions/core writes', () => {
    const saved = process.env.GITHUB_OUTPUT
    afterEach(() => {
      jest.restoreAllMocks()
      if (saved === undefined) delete process.env.GITHUB_OUTPUT
      else process.env.GITHUB_OUTPUT = saved
    })

    it('round-trips values through core.setOutput', () => {
      const path = outputsFile('')
      process.env.GITHUB_OUTPUT = path
      jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
      const values = {
        'scan-id': '4711',
        summary: 'line 1\nline 2\r\nline 3 = <<EOF\n',
        empty: '',
        findings: '7'
      }
      for (const [name, value] of Object.entries(values)) core.setOutput(name, value)
      core.setOutput('findings', 8)
      expect(readOutputsFile(path)).toEqual({ ...values, findings: '8' })
    })
  })
})

describe('parseWorkflowCommands', () => {
  it('parses commands with escaped properties and multi-line messages', () => {
    const stdout = [
      '::add-mask::s3cr3t',
      'Starting the scan',
      '::error file=src/app.ts,line=3,title=SQL Injection%3A id%2C sort::first line%0Asecond line%0D%0Athird',
      '::warning::100%25 done, not %250A a newline',
      '::notice title=a=b,empty=,=nokey::note',
      '::group::Polling',
      '::endgroup::',
      '::debug::a%3Ab stays escaped in a message',
      ''
    ].join('\n')
    expect(parseWorkflowCommands(stdout)).toEqual([
      { command: 'add-mask', properties: {}, message: 's3cr3t' },
      {
        command: 'error',
        properties: { file: 'src/app.ts', line: '3', title: 'SQL Injection: id, sort' },
        message: 'first line\nsecond line\r\nthird'
      },
      { command: 'warning', properties: {}, message: '100% done, not %0A a newline' },
      { command: 'notice', properties: { title: 'a=b' }, message: 'note' },
      { command: 'group', properties: {}, message: 'Polling' },
      { command: 'endgroup', properties: {}, message: '' },
      { command: 'debug', properties: {}, message: 'a%3Ab stays escaped in a message' }
    ])
  })

  it('unescapes %25 last in properties: %253A is a literal %3A', () => {
    expect(parseWorkflowCommands('::error title=50%25%2C 1%253A2::m')).toEqual([
      { command: 'error', properties: { title: '50%, 1%3A2' }, message: 'm' }
    ])
  })

  it('takes only whole lines starting (after spaces) with ::known-name', () => {
    const stdout = [
      '   ::warning::indented',
      'text ::error::not at the start',
      '::unknown-command::printed as text',
      '::error no closing colons',
      '::error::with CRLF\r',
      ':: error::space before the name'
    ].join('\n')
    expect(parseWorkflowCommands(stdout)).toEqual([
      { command: 'warning', properties: {}, message: 'indented' },
      { command: 'error', properties: {}, message: 'with CRLF' }
    ])
  })

  it('ignores commands between ::stop-commands::TOKEN and ::TOKEN::', () => {
    const stdout = [
      '::stop-commands::pause-1234',
      '::error::not a command while stopped',
      '::pause-1234::',
      '::error::a command again'
    ].join('\n')
    expect(parseWorkflowCommands(stdout)).toEqual([
      { command: 'stop-commands', properties: {}, message: 'pause-1234' },
      { command: 'error', properties: {}, message: 'a command again' }
    ])
  })
})

describe('expectNoSecrets', () => {
  const secret = 'hook-5ecr3t'
  const run = (parts: Partial<ActionRun>): ActionRun => ({
    exitCode: 0,
    signal: null,
    timedOut: false,
    stdout: '',
    stderr: '',
    outputs: {},
    summary: '',
    commands: [],
    workspace: '/tmp/x',
    durationMs: 1,
    ...parts
  })

  it('allows a secret only as the message of an ::add-mask:: command', () => {
    expect(() =>
      expectNoSecrets(
        run({
          stdout: `::add-mask::${secret}\n  ::add-mask::https://api.example.test/webhook/${secret}\nStarted scan 7\n`,
          outputs: { 'scan-id': '7' },
          summary: '## Scan 7'
        }),
        [secret]
      )
    ).not.toThrow()
  })

  it.each([
    ['a plain stdout line', { stdout: `::add-mask::${secret}\nPOST /webhook/${secret}\n` }],
    ['a line with add-mask not at its start', { stdout: `echo ::add-mask::${secret}\n` }],
    [
      'an add-mask while commands are stopped',
      { stdout: `::stop-commands::t\n::add-mask::${secret}\n::t::\n` }
    ],
    ['another command', { stdout: `::error title=Webhook ${secret}::failed\n` }],
    ['an escaped command property', { stdout: '::error title=a%2Cb c%3Ad::failed\n' }, 'a,b c:d'],
    ['its URL-encoded form', { stdout: 'GET /webhook/a%2Fb%3Dc\n' }, 'a/b=c'],
    ['stderr', { stderr: `Error: ${secret}` }],
    ['the summary', { summary: `| ${secret} |` }],
    ['an output', { outputs: { 'report-path': `/tmp/${secret}.xml` } }]
  ])('catches a secret in %s', (_where, parts, leakedSecret = secret) => {
    expect(() => expectNoSecrets(run(parts), [leakedSecret])).toThrow()
  })

  it('refuses an empty secret', () => {
    expect(() => expectNoSecrets(run({}), [''])).toThrow('must not be empty')
  })
})
