import { describe, expect, it } from '@jest/globals'
import { endGroup, group, logIssue, section } from '../../../../src/cli/ci/azure.js'
import { randomText } from './random-text.js'

// The agent reads output line by line, breaking at \r, \n or \r\n.
const linesOf = (output: string) => output.split(/\r\n|\r|\n/)

/** What the agent makes of one line: the command at the first `##vso[`, up to the first `]` after it. */
function agentReads(line: string): { command: string; data: string } | undefined {
  const prefix = line.indexOf('##vso[')
  if (prefix < 0) return undefined
  const bracket = line.indexOf(']', prefix)
  if (bracket < 0) return undefined
  return {
    command: line.slice(prefix + '##vso['.length, bracket),
    data: agentUnescape(line.slice(bracket + 1))
  }
}

// The agent decodes %3B, %0D, %0A and %5D first, then %AZP25.
const agentUnescape = (text: string) =>
  text
    .replaceAll('%3B', ';')
    .replaceAll('%0D', '\r')
    .replaceAll('%0A', '\n')
    .replaceAll('%5D', ']')
    .replaceAll('%AZP25', '%')

describe('escaping', () => {
  it('escapes the message as the agent unescapes it', () => {
    expect(logIssue('error', '100%\r\ndone; [x]')).toBe(
      '##vso[task.logissue type=error]100%AZP25%0D%0Adone; [x]'
    )
  })

  it('brings back text that looks like an escape sequence', () => {
    for (const text of ['%0A', '%3B', '%5D', '%AZP25', '%%0D', '%AZP250A']) {
      expect(agentReads(logIssue('error', text))?.data).toBe(text)
    }
  })
})

describe('logIssue', () => {
  it('writes a task.logissue command', () => {
    expect(logIssue('error', 'Scan failed')).toBe('##vso[task.logissue type=error]Scan failed')
    expect(logIssue('warning', 'Two findings')).toBe('##vso[task.logissue type=warning]Two findings')
  })

  it('keeps a hostile message on the command line, as data', () => {
    const hostile =
      'x]\n##vso[task.setvariable variable=PATH]/tmp/evil\r##vso[task.complete result=Succeeded]'
    const output = logIssue('error', hostile)
    expect(linesOf(output)).toHaveLength(1)
    expect(agentReads(output)).toEqual({ command: 'task.logissue type=error', data: hostile })
  })

  it('reads back any text as the message of the one command', () => {
    const next = randomText(7)
    for (let i = 0; i < 2000; i++) {
      const text = next()
      const output = logIssue('warning', text)
      expect(linesOf(output)).toHaveLength(1)
      expect(output.startsWith('##vso[task.logissue type=warning]')).toBe(true)
      expect(agentReads(output)).toEqual({ command: 'task.logissue type=warning', data: text })
    }
  })
})

describe('formatting commands', () => {
  it('writes sections and groups', () => {
    expect(section('Crashtest scan')).toBe('##[section]Crashtest scan')
    expect(group('Findings')).toBe('##[group]Findings')
    expect(endGroup()).toBe('##[endgroup]')
  })

  it('keeps a hostile name on one line with no command in it', () => {
    const hostile = 'Findings\n##vso[task.complete result=Succeeded]done ##vso[task.setvariable variable=X]1'
    for (const output of [section(hostile), group(hostile)]) {
      expect(linesOf(output)).toHaveLength(1)
      expect(agentReads(output)).toBeUndefined()
      expect(output).toContain('Findings # #vso[task.complete result=Succeeded]done')
    }
  })
})
