// The command line as a CLI's users expect it: help and version in every usual form, values that start
// with `-`, switches with `=true|false`, and messages that point at the flag or variable a value came from.
import { describe, expect, it } from '@jest/globals'
import {
  commandReader,
  environmentWarnings,
  parseInvocation,
  UsageError
} from '../../../src/cli/arguments.js'

describe('parseInvocation', () => {
  it.each([['-h'], ['--help'], ['help'], ['scan', '-h'], ['scan', '--help']])(
    'takes %s for help',
    (...argv) => {
      expect(parseInvocation(argv)).toEqual({ kind: 'help' })
    }
  )

  it.each([['-V'], ['--version'], ['version']])('takes %s for the version', (...argv) => {
    expect(parseInvocation(argv)).toEqual({ kind: 'version' })
  })

  it('keeps a value that starts with a dash as the value, for the option’s own rule to judge', () => {
    const invocation = parseInvocation(['scan', '--timeout', '-5', '--json'])
    expect(invocation).toMatchObject({ kind: 'scan', json: true, flags: { timeout: '-5' } })
  })

  it('takes a switch as --name, --no-name and --name=true|false', () => {
    const flags = (...argv: string[]) => {
      const invocation = parseInvocation(['scan', ...argv])
      return invocation.kind === 'scan' ? invocation.flags.wait : 'not a scan'
    }
    expect(flags('--wait')).toBe(true)
    expect(flags('--no-wait')).toBe(false)
    expect(flags('--wait=false')).toBe(false)
    expect(flags('--wait=TRUE')).toBe(true)
    expect(() => parseInvocation(['scan', '--wait=maybe'])).toThrow(
      new UsageError('--wait takes true or false (or no value: --wait, --no-wait)')
    )
  })

  it('says an option at the end needs a value, without quoting anything', () => {
    expect(() => parseInvocation(['scan', '--timeout'])).toThrow(new UsageError('--timeout needs a value'))
  })
})

describe('commandReader', () => {
  it('names the flag or the variable each value came from', () => {
    const reader = commandReader(
      { timeout: '5', 'fail-on': undefined },
      { CRASHTEST_FAIL_ON: 'high', VERACODE_API_KEY_ID: 'id', CRASHTEST_TIMEOUT: '9' }
    )
    expect(reader.read('timeout')).toBe('5')
    expect(reader.sourceOf('timeout')).toBe('--timeout')
    expect(reader.sourceOf('fail-on')).toBe('CRASHTEST_FAIL_ON')
    expect(reader.sourceOf('veracode-api-id')).toBe('VERACODE_API_KEY_ID')
    expect(reader.sourceOf('poll-interval')).toBe('--poll-interval')
  })
})

describe('environmentWarnings', () => {
  it('names an unknown CRASHTEST_ variable with the nearest one the command reads', () => {
    expect(environmentWarnings({ CRASHTEST_WEBHOOK_ID: 'x', CRASHTEST_FAIL_ON: 'high' })).toEqual([
      'CRASHTEST_WEBHOOK_ID is not a variable crashtest-dast reads, so it is ignored; did you mean CRASHTEST_WEBHOOK?'
    ])
    expect(environmentWarnings({ CRASHTEST_POLLINTERVAL: '1' })[0]).toContain(
      'did you mean CRASHTEST_POLL_INTERVAL?'
    )
  })

  it('warns that other tools’ Veracode variable names are not read, and names those that are', () => {
    const [warning] = environmentWarnings({ VERACODE_API_ID: 'x', VERACODE_API_KEY: 'y' })
    expect(warning).toBe(
      "VERACODE_API_ID and VERACODE_API_KEY are not read: the Veracode API credentials are read from VERACODE_API_KEY_ID and VERACODE_API_KEY_SECRET (Veracode's own names), or CRASHTEST_VERACODE_API_ID and CRASHTEST_VERACODE_API_KEY."
    )
    expect(environmentWarnings({ VERACODE_API_KEY_ID: 'x', VERACODE_API_KEY_SECRET: 'y' })).toEqual([])
  })
})
