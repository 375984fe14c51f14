// The command's --json object: the action's outputs, plus the broken rules and a message, with the values
// of several targets as objects and arrays, never lines.
import { describe, expect, it } from '@jest/globals'
import { jsonOutput } from '../../../src/cli/json-output.js'
import { judge, type PolicySettings } from '../../../src/engine/policy/gate.js'
import type { RunOutcome, TargetOutcome } from '../../../src/engine/run/outcome.js'
import { finding } from '../finding-fixtures.js'

const policy: PolicySettings = { failOn: 'high', failOnScanners: [], maxFindings: { medium: 0 } }
const findings = [finding('high'), finding('medium')]

function failed(name: string): TargetOutcome {
  return {
    name,
    result: 'failed',
    scanId: `${name.length}00`,
    reportPath: `/w/${name}.xml`,
    report: { testcases: 5, findings, scannerErrors: [], skippedChecks: [] },
    verdict: judge({ findings, policy })
  }
}

describe('jsonOutput', () => {
  it('adds the broken rules of one target to the outputs', () => {
    const values = jsonOutput({ result: 'failed', targets: [failed('target-1')] })
    expect(values).toMatchObject({
      result: 'failed',
      'scan-id': '800',
      'report-path': '/w/target-1.xml',
      high: 1
    })
    expect(values.broken).toEqual([
      { rule: 'fail-on', description: 'fail-on: high — 1 finding of severity high or worse' },
      { rule: 'max-findings', description: expect.stringMatching(/^max-findings: medium/) }
    ])
    expect(values).not.toHaveProperty('message')
  })

  it('gives a message when the result is error or timeout', () => {
    const error: RunOutcome = {
      result: 'error',
      targets: [{ name: 'target-1', result: 'error', message: 'Could not start the scan: …' }]
    }
    expect(jsonOutput(error).message).toBe('Could not start the scan: …')
    const timeout: RunOutcome = {
      result: 'timeout',
      targets: [{ name: 'target-1', result: 'timeout', message: 'Scan 1 did not finish …' }]
    }
    expect(jsonOutput(timeout).message).toBe('Scan 1 did not finish …')
  })

  it('keeps several targets’ values apart as objects and arrays, each target’s message and rules in its entry', () => {
    const stopped: TargetOutcome = {
      name: 'api',
      result: 'error',
      scanId: '7',
      message: 'The report request failed'
    }
    const values = jsonOutput({ result: 'error', targets: [failed('shop'), stopped] })
    expect(values['scan-id']).toEqual({ shop: '400', api: '7' })
    expect(values['report-path']).toEqual(['/w/shop.xml'])
    expect(values.message).toBe("api could not be completed: see each target's message.")
    expect(values.broken).toEqual([
      expect.objectContaining({ target: 'shop', rule: 'fail-on' }),
      expect.objectContaining({ target: 'shop', rule: 'max-findings' })
    ])
    const targets = values.targets as Record<string, unknown>[]
    expect(targets[1]).toMatchObject({ name: 'api', result: 'error', message: 'The report request failed' })
    expect(targets[0]?.broken).toHaveLength(2)
    expect(JSON.stringify(values)).not.toContain('\\n')
  })
})
