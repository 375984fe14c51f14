// Output paths are checked before any request: a report that cannot be written after a scan of minutes
// would be lost.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { outputPathProblems } from '../../src/engine/settings/output-paths.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'output-paths-'))
  writeFileSync(join(dir, 'afile'), 'in the way')
  mkdirSync(join(dir, 'afolder'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('outputPathProblems', () => {
  it('accepts a file in an existing folder, and one in folders still to be made', async () => {
    expect(
      await outputPathProblems([
        { option: 'report-path', path: join(dir, 'report.xml') },
        { option: 'sarif-path', path: join(dir, 'new', 'deeper', 'findings.sarif') }
      ])
    ).toEqual([])
  })

  it('refuses a path under a file, and a path that is a folder, naming the option of each', async () => {
    expect(
      await outputPathProblems([
        { option: 'report-path', path: join(dir, 'afile', 'r.xml') },
        { option: 'sarif-path', path: join(dir, 'afile', 'more', 'r.sarif') },
        { option: 'gitlab-report', path: join(dir, 'afolder') }
      ])
    ).toEqual([
      `'report-path' cannot be written to ${join(dir, 'afile', 'r.xml')}: ${join(dir, 'afile')} is a file, not a folder`,
      `'sarif-path' cannot be written to ${join(dir, 'afile', 'more', 'r.sarif')}: ${join(dir, 'afile')} is a file, not a folder`,
      `'gitlab-report' cannot be written to ${join(dir, 'afolder')}: it is a folder`
    ])
  })
})
