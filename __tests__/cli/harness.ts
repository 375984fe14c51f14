// Runs the crashtest-dast command as installed by __tests__/setup/command-lane.mjs (packed repository, npm
// install into an empty prefix) the way a CI shell step runs it: the installed bin executed directly
// through its `#!/usr/bin/env node` shebang, the chosen Node first on PATH, and a minimal environment
// (PATH, HOME, LANG and what the test gives), so that no variable of this machine (CI, GITHUB_ACTIONS,
// TEAMCITY_VERSION, TF_BUILD, GITLAB_CI, CRASHTEST_*, …) reaches the command unless a test sets it.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { delimiter, dirname, join, sep } from 'node:path'

export type NodeMajor = 22 | 24

export interface RunCliOptions {
  /** Arguments after the command name. */
  args?: string[]
  /** The environment beyond PATH, HOME and LANG; a name given here wins over those three too. */
  env?: Record<string, string>
  /** Working directory; default a fresh empty folder (returned as `cwd`). */
  cwd?: string
  /** Node major that `#!/usr/bin/env node` finds first on PATH; default 24. */
  node?: NodeMajor
  /** SIGKILL after this long (the run then has `timedOut: true`); default 60 s. */
  timeoutMs?: number
  /** Called once the process is started, e.g. to send it a signal. */
  onSpawn?: (child: ChildProcess) => void
  /** stdin, stdout and stderr are never a terminal (stdin is /dev/null, the others are pipes). */
  tty?: false
}

export interface CliRun {
  exitCode: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  stdout: string
  stderr: string
  durationMs: number
  /** The working directory the command ran in (the default one stays until the test run ends). */
  cwd: string
  /** The HOME it had, a fresh empty folder unless `env.HOME` was given. */
  home: string
}

export interface InstalledPackage {
  /** <prefix>/node_modules/.bin/crashtest-dast */
  bin: string
  /** The npm prefix the tarball was installed into (holds node_modules/crashtest-dast). */
  prefix: string
  /** The tarball `npm pack` made of this repository. */
  tarball: string
}

const DEFAULT_TIMEOUT_MS = 60_000

function fromSetup(name: string): string {
  const value = process.env[name]
  if (!value) {
    throw new Error(
      `${name} is not set: it comes from the command lane's global setup (__tests__/setup/command-lane.mjs): ` +
        'run the tests with `npm test` or `npm run test:command`.'
    )
  }
  return value
}

/** Where global setup installed the packed command. */
export function installedPackage(): InstalledPackage {
  return {
    bin: fromSetup('CRASHTEST_TEST_BIN'),
    prefix: fromSetup('CRASHTEST_TEST_PREFIX'),
    tarball: fromSetup('CRASHTEST_TEST_TARBALL')
  }
}

/** The Node binary of that major that global setup made ready. */
export function nodeBinaryPath(node: NodeMajor): string {
  return fromSetup(`CRASHTEST_TEST_NODE${node}`)
}

// A fresh folder under global setup's temporary folder, which global teardown removes.
function freshDir(kind: string): string {
  const runs = join(fromSetup('CRASHTEST_TEST_TMP'), 'runs')
  mkdirSync(runs, { recursive: true })
  return mkdtempSync(join(runs, `${kind}-`))
}

// The machine's PATH without the folders npm and Jest put there (node_modules/.bin of this repository
// and npm's own helpers), behind the chosen Node's folder.
function pathFor(node: NodeMajor): string {
  const rest = (process.env.PATH ?? '')
    .split(delimiter)
    .filter(entry => entry !== '' && !entry.split(sep).includes('node_modules'))
  return [...new Set([dirname(nodeBinaryPath(node)), ...rest])].join(delimiter)
}

/**
 * Runs `command` (a path, or a name looked up on the minimal PATH) with the same environment, working
 * directory, time-out and stdio as runCli. runCli uses it for the installed command; tests may use it
 * to see what that environment gives, e.g. `runInCliEnvironment('/usr/bin/env', { args: ['node',
 * '--version'], node: 22 })` shows which Node the shebang finds.
 */
export function runInCliEnvironment(command: string, options: RunCliOptions = {}): Promise<CliRun> {
  const cwd = options.cwd ?? freshDir('cwd')
  const env: Record<string, string> = {
    PATH: pathFor(options.node ?? 24),
    HOME: options.env?.HOME ?? freshDir('home'),
    LANG: 'C.UTF-8',
    ...options.env
  }
  const home = env.HOME as string
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS

  return new Promise((resolve, reject) => {
    const started = performance.now()
    // A process group of its own, so that the time-out kills whatever the command started as well.
    const child = spawn(command, options.args ?? [], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32'
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk))

    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL')
        else child.kill('SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }, timeoutMs)

    child.on('error', error => {
      clearTimeout(timer)
      reject(new Error(`Could not run ${command}: ${error.message}`, { cause: error }))
    })
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer)
      resolve({
        exitCode,
        signal,
        timedOut,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: performance.now() - started,
        cwd,
        home
      })
    })
    if (child.pid !== undefined) options.onSpawn?.(child)
  })
}

/** Runs the installed crashtest-dast command (see the top of this file). */
export function runCli(options: RunCliOptions = {}): Promise<CliRun> {
  return runInCliEnvironment(installedPackage().bin, options)
}
