// The README's demo command must show a whole scan on a fresh clone: it is the first thing a newcomer runs.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

describe('npm run demo', () => {
  it('runs a full scan against the simulator and prints the verdict and the summary', () => {
    const demo = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/demo.ts', '--running-seconds', '1'],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000
      }
    )
    expect(demo.stderr).toBe('')
    expect(demo.status).toBe(0)
    expect(demo.stdout).toContain('Status 200 (finished)')
    expect(demo.stdout).toContain('Result: failed — the step fails (exit code 1)')
    expect(demo.stdout).toMatch(/Artifact uploaded: crashtest-report-1001 \(id \d+/)
    expect(demo.stdout).toContain('## ❌ Crashtest DAST scan failed')
    expect(demo.stdout).toContain('| 🟥 Critical | 1 |')
  })

  it('runs the same scan through the command with --command', () => {
    const demo = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/demo.ts', '--running-seconds', '1', '--command'],
      { cwd: root, encoding: 'utf8', timeout: 60_000 }
    )
    expect(demo.status).toBe(0)
    expect(demo.stderr).toBe('')
    expect(demo.stdout).toContain('Failed: the scan broke the rules: fail-on: high')
    expect(demo.stdout).toContain('"result":"failed"')
    expect(demo.stdout).toContain('Exit code 1 (0 passed, 1 rules broken')
  })
})
