// The crashtest-dast command as a user gets it: this repository packed by `npm pack`, the tarball
// installed offline into an empty prefix from an empty npm cache, and the installed bin run through its
// `#!/usr/bin/env node` shebang with the chosen Node first on PATH. Also what the package weighs.
import { lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { delimiter, dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runProcess, type ProcessEnd } from './measure.js'

export type NodeMajor = 22 | 24

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const PACKAGE_NAME = 'crashtest-dast'

export interface InstalledFile {
  /** relative to the installed package's folder, with / separators */
  path: string
  bytes: number
}

export interface InstalledCommand {
  tarball: string
  prefix: string
  /** <prefix>/node_modules/.bin/crashtest-dast */
  bin: string
}

export interface PackageSize {
  /** the .tgz `npm pack` wrote */
  tarballBytes: number
  /** every file under <prefix>/node_modules/crashtest-dast, as installed */
  installedBytes: number
  files: InstalledFile[]
  /** the packages under <prefix>/node_modules after the install, this one included */
  installedPackages: string[]
}

/**
 * Packs this repository (`npm pack --ignore-scripts`) into `<folder>/pack` and installs the tarball
 * offline into the empty prefix `<folder>/prefix`, with the empty npm cache `<folder>/npm-cache`, so
 * that the package installs from itself alone. Throws when npm fails or leaves no bin.
 */
export async function installCommand(folder: string): Promise<InstalledCommand> {
  const packDir = join(folder, 'pack')
  const prefix = join(folder, 'prefix')
  const cache = join(folder, 'npm-cache')
  for (const dir of [packDir, prefix, cache]) mkdirSync(dir, { recursive: true })
  const env = npmEnv(cache)
  const packed = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], env)
  const [first] = JSON.parse(packed.stdout) as { filename: string }[]
  if (!first) throw new Error(`npm pack reported no tarball:\n${packed.stdout}`)
  const tarball = join(packDir, first.filename)
  await npm(['install', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], env)
  const bin = join(prefix, 'node_modules', '.bin', PACKAGE_NAME)
  if (!statSync(bin, { throwIfNoEntry: false })?.isFile()) {
    throw new Error(`installing ${tarball} left no ${bin}`)
  }
  return { tarball, prefix, bin }
}

/** What the tarball and the installed package weigh, measured on disk. */
export function packageSize(command: InstalledCommand): PackageSize {
  const modules = join(command.prefix, 'node_modules')
  const files = filesUnder(join(modules, PACKAGE_NAME))
  return {
    tarballBytes: statSync(command.tarball).size,
    installedBytes: files.reduce((total, file) => total + file.bytes, 0),
    files,
    installedPackages: readdirSync(modules)
      .filter(name => !name.startsWith('.'))
      .flatMap(name =>
        name.startsWith('@') ? readdirSync(join(modules, name)).map(scoped => `${name}/${scoped}`) : [name]
      )
  }
}

/** Every file (and link) below `dir` with its size in bytes, largest first. */
export function filesUnder(dir: string): InstalledFile[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => !entry.isDirectory())
    .map(entry => {
      const file = join(entry.parentPath, entry.name)
      return { path: relative(dir, file).split(sep).join('/'), bytes: lstatSync(file).size }
    })
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
}

/** A Node binary of that major (scripts/node-binary.mjs: the running one, or installed from the registry). */
export async function nodeBinary(major: NodeMajor): Promise<string> {
  // Imported by URL: the helper is plain JavaScript shared with the test setup, without type declarations.
  const helper = new URL('../node-binary.mjs', import.meta.url).href
  const { nodeBinary: find } = (await import(helper)) as { nodeBinary: (major: number) => string }
  return find(major)
}

export interface CommandOptions {
  command: InstalledCommand
  /** the Node binary that `#!/usr/bin/env node` finds first on PATH */
  node: string
  args: string[]
  /** CRASHTEST_* settings and the like, beyond PATH, HOME and LANG */
  env: Record<string, string>
  cwd: string
  home: string
  timeoutMs?: number
}

/**
 * The installed command run as a CI shell step runs it: the bin executed directly, the chosen Node
 * first on PATH and an environment of PATH, HOME, LANG and `env` only, so that no variable of this
 * machine (CI markers, CRASHTEST_*, npm's) reaches it.
 */
export function runCommand(options: CommandOptions): Promise<ProcessEnd> {
  const rest = (process.env.PATH ?? '/usr/bin:/bin')
    .split(delimiter)
    .filter(entry => entry !== '' && !entry.split(sep).includes('node_modules'))
  const path = [...new Set([dirname(options.node), ...rest])].join(delimiter)
  return runProcess(options.command.bin, options.args, {
    cwd: options.cwd,
    env: { PATH: path, HOME: options.home, LANG: 'C.UTF-8', ...options.env },
    timeoutMs: options.timeoutMs ?? 120_000
  })
}

/** The version `node --version` prints, e.g. v22.12.0. */
export async function nodeVersion(binary: string): Promise<string> {
  const ended = await runProcess(binary, ['--version'], { env: {} })
  const version = ended.stdout.trim()
  if (ended.code !== 0 || !/^v\d+\./.test(version)) throw new Error(`${binary} --version failed`)
  return version
}

// npm as a user's shell runs it: none of the npm_* variables of the `npm run bench` that started this
// process (its cache, prefix, log level…), an empty cache of its own, no update check.
function npmEnv(cache: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^npm_/i.test(name)) env[name] = value
  }
  return { ...env, npm_config_cache: cache, npm_config_update_notifier: 'false' }
}

async function npm(args: string[], env: Record<string, string>): Promise<ProcessEnd> {
  const ended = await runProcess('npm', args, { cwd: ROOT, env, timeoutMs: 180_000 })
  if (ended.code !== 0) {
    throw new Error(`\`npm ${args.join(' ')}\` failed (exit ${ended.code}):\n${ended.stderr}${ended.stdout}`)
  }
  return ended
}
