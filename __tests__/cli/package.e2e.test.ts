// The npm package as a user gets it: what `npm pack` puts in the tarball, what an offline install into
// an empty prefix leaves (global setup did both), and the installed command starting on Node 22 and 24.
import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { installedPackage, runCli, runInCliEnvironment, type NodeMajor } from './harness.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const MAX_INSTALLED_BYTES = 3 * 1024 * 1024

interface PackageJson {
  name: string
  version: string
  bin?: Record<string, string>
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  bundleDependencies?: string[]
  bundledDependencies?: string[]
}

function readJson(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson
}

/** Every file below `dir` (no folders), as paths relative to it with / separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => !entry.isDirectory())
    .map(entry => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
}

/** Bytes of every file and link below `dir`, as installed. */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => !entry.isDirectory())
    .reduce((total, entry) => total + lstatSync(join(entry.parentPath, entry.name)).size, 0)
}

const repoPackage = readJson(join(root, 'package.json'))
const installedDir = () => join(installedPackage().prefix, 'node_modules', 'crashtest-dast')

describe('the packed tarball', () => {
  it('holds only package.json, README.md, LICENSE and dist/cli/', () => {
    const listed = execFileSync('tar', ['-tzf', installedPackage().tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(line => line !== '' && !line.endsWith('/'))
    const expected = [
      'package/package.json',
      'package/README.md',
      ...(existsSync(join(root, 'LICENSE')) ? ['package/LICENSE'] : []),
      ...filesUnder(join(root, 'dist', 'cli')).map(file => `package/dist/cli/${file}`)
    ]
    expect(listed).toContain('package/dist/cli/index.js')
    expect([...listed].sort()).toEqual([...expected].sort())
  })

  it('has the command’s README, not the action’s', () => {
    const readme = execFileSync('tar', ['-xzOf', installedPackage().tarball, 'package/README.md'], {
      encoding: 'utf8'
    })
    expect(readme).toBe(readFileSync(join(root, 'docs', 'npm', 'README.md'), 'utf8'))
    // The version it pins is this one: a release updates it.
    expect(readme).toContain(`npm install --global crashtest-dast@${repoPackage.version}`)
    expect(readme).not.toContain('uses: crashtest-security/')
  })

  it("declares no dependencies and this repository's name, version and bin", () => {
    const packed = readJson(join(installedDir(), 'package.json'))
    expect(packed.name).toBe('crashtest-dast')
    expect(packed.version).toBe(repoPackage.version)
    expect(packed.bin).toEqual({ 'crashtest-dast': 'dist/cli/index.js' })
    const dependencyFields = [
      'dependencies',
      'optionalDependencies',
      'peerDependencies',
      'bundleDependencies',
      'bundledDependencies'
    ] as const
    expect(dependencyFields.filter(field => Object.keys(packed[field] ?? {}).length > 0)).toEqual([])
  })
})

describe('the installation', () => {
  it('pulled in no other package', () => {
    const modules = join(installedPackage().prefix, 'node_modules')
    expect(readdirSync(modules).filter(name => !name.startsWith('.'))).toEqual(['crashtest-dast'])
    expect(readdirSync(join(modules, '.bin'))).toEqual(['crashtest-dast'])
    expect(existsSync(join(installedDir(), 'node_modules'))).toBe(false)
  })

  it('is at most 3 MiB', () => {
    const bytes = bytesUnder(installedDir())
    expect(bytes).toBeGreaterThan(0)
    expect(bytes).toBeLessThanOrEqual(MAX_INSTALLED_BYTES)
  })

  it('has a command that starts with #!/usr/bin/env node', () => {
    const script = readFileSync(join(installedDir(), 'dist', 'cli', 'index.js'), 'utf8')
    expect(script.split('\n', 1)[0]).toBe('#!/usr/bin/env node')
  })
})

describe.each([22, 24] as NodeMajor[])('crashtest-dast on Node %i', node => {
  it(`finds Node ${node} through #!/usr/bin/env node`, async () => {
    const run = await runInCliEnvironment('/usr/bin/env', { args: ['node', '--version'], node })
    expect(run.exitCode).toBe(0)
    expect(run.stdout.trim()).toMatch(new RegExp(`^v${node}\\.\\d+\\.\\d+$`))
  })

  it('--version prints the package version and exits 0', async () => {
    const run = await runCli({ args: ['--version'], node })
    expect({ exitCode: run.exitCode, stdout: run.stdout.trim(), stderr: run.stderr }).toEqual({
      exitCode: 0,
      stdout: repoPackage.version,
      stderr: ''
    })
  })

  it('--help prints the usage on stdout and exits 0', async () => {
    const run = await runCli({ args: ['--help'], node })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/usage/i)
    expect(run.stdout).toContain('crashtest-dast scan')
  })

  it('scan --help prints the options on stdout and exits 0', async () => {
    const run = await runCli({ args: ['scan', '--help'], node })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('--webhook')
    expect(run.stdout).toContain('--fail-on')
  })
})
