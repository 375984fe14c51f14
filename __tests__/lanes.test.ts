// The test lanes of jest.config.js: every test file runs in exactly one lane, and the fast lane starts no
// process per test (it neither runs the bundled action nor the installed command).
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { minimatch } from 'minimatch'

interface Lane {
  displayName: string
  testMatch: string[]
  globalSetup?: string
}

const root = fileURLToPath(new URL('..', import.meta.url))
// Imported by its URL: jest.config.js is plain JavaScript, without types.
const config = (await import(pathToFileURL(join(root, 'jest.config.js')).href)) as {
  default: { projects: Lane[] }
}
const lanes = config.default.projects
const testFiles = readdirSync(join(root, '__tests__'), { recursive: true, encoding: 'utf8' })
  .filter(file => file.endsWith('.test.ts'))
  .map(file => relative(root, join(root, '__tests__', file)))
  .sort()

/** The lanes whose testMatch takes each file. */
function lanesOf(files: string[], of: Lane[]): Record<string, string[]> {
  const matches = (lane: Lane, file: string) =>
    lane.testMatch.some(pattern => minimatch(file, pattern.replace('<rootDir>/', '')))
  return Object.fromEntries(
    files.map(file => [file, of.filter(l => matches(l, file)).map(l => l.displayName)])
  )
}

/** What a test needs to run the bundled action or the installed command. */
const STARTS_PROCESSES = /\b(runAction|runScenario|runCli|runInCliEnvironment|spawn|spawnSync|execFile)\b/

describe('the test lanes', () => {
  it('are fast, action and command', () => {
    expect(lanes.map(lane => lane.displayName)).toEqual(['fast', 'action', 'command'])
  })

  it('run every test file in exactly one lane', () => {
    const once = Object.fromEntries(testFiles.map(file => [file, [expect.any(String)]]))
    expect(testFiles.length).toBeGreaterThan(40)
    expect(lanesOf(testFiles, lanes)).toEqual(once)
  })

  it('have no global setup and start no process in the fast lane', () => {
    const fast = lanes.find(lane => lane.displayName === 'fast')!
    expect(fast.globalSetup).toBeUndefined()
    const fastFiles = Object.entries(lanesOf(testFiles, lanes))
      .filter(([, names]) => names.includes('fast'))
      .map(([file]) => file)
      .filter(file => file !== '__tests__/lanes.test.ts') // names them, to look for them
    const starting = fastFiles.filter(file => STARTS_PROCESSES.test(readFileSync(join(root, file), 'utf8')))
    expect(starting).toEqual([])
  })

  it('are checked by checks that can fail', () => {
    const overlapping: Lane[] = [
      ...lanes,
      { displayName: 'extra', testMatch: ['<rootDir>/__tests__/**/*.test.ts'] }
    ]
    expect(lanesOf(['__tests__/unit/gate.test.ts'], overlapping)).toEqual({
      '__tests__/unit/gate.test.ts': ['fast', 'extra']
    })
    expect(lanesOf(['__tests__/nowhere/x.test.ts'], lanes)).toEqual({ '__tests__/nowhere/x.test.ts': [] })
    expect(STARTS_PROCESSES.test("await runCli({ args: ['--help'] })")).toBe(true)
  })
})
