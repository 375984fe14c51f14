// An output path that cannot be written is found before any request, not after a scan of minutes.
import { describe, expect, it } from '@jest/globals'
import { runCliScenario } from './fixtures.js'

describe('the command’s output paths', () => {
  it('are checked before any request: a file in the way of --report-path exits 2 and sends nothing', async () => {
    const run = await runCliScenario({
      files: { afile: 'in the way' },
      args: ['scan', '--report-path', 'afile/r.xml', '--sarif-path', 'afile/r.sarif']
    })
    expect(run.exitCode).toBe(2)
    expect(run.requests).toEqual([])
    expect(run.stderr).toContain(
      `--report-path cannot be written to ${run.cwd}/afile/r.xml: ${run.cwd}/afile is a file`
    )
    expect(run.stderr).toContain(`--sarif-path cannot be written to ${run.cwd}/afile/r.sarif`)
    expect(run.stderr).not.toContain("'report-path'")
  })
})
