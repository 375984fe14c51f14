// An output path that cannot be written is found before any request, not after a scan of minutes.
import { describe, expect, it } from '@jest/globals'
import { failureMessage, runScenario } from './fixtures.js'

describe('the action’s output paths', () => {
  it('are checked before any request: a file in the way of report-path fails the step and sends nothing', async () => {
    const run = await runScenario({
      files: { afile: 'in the way' },
      inputs: { 'report-path': 'afile/r.xml' }
    })
    expect(run.exitCode).toBe(1)
    expect(run.requests).toEqual([])
    expect(failureMessage(run)).toContain(
      `'report-path' cannot be written to ${run.workspace}/afile/r.xml: ${run.workspace}/afile is a file, not a folder`
    )
    expect(run.outputs.result).toBe('error')
  })
})
