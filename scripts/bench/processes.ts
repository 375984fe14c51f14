// The processes the benchmark times, each stamped right after spawn() returned and when its output closed,
// on the clock the simulator stamps its requests with.
import { execFile } from 'node:child_process'
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ArtifactService } from '../../simulator/artifact-service.js'
import { runAction, type ActionRun } from '../../simulator/runner.js'

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url))
export const WHOLE_DOCUMENT = here('./whole-document.mjs')

export type Timed = { spawnedAt: number; closedAt: number }
export type ProcessEnd = Timed & { code: number | null; stdout: string; stderr: string }

export function runProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; onStdout?: (text: string, at: number) => void } = {}
): Promise<ProcessEnd> {
  return new Promise((resolve, reject) => {
    const settings = { ...options, timeout: 600_000, killSignal: 'SIGKILL' as const, maxBuffer: 1 << 30 }
    const child = execFile(command, args, settings, (error, stdout, stderr) => {
      if (typeof error?.code === 'string') reject(error)
      else resolve({ spawnedAt, closedAt: Date.now(), code: child.exitCode, stdout, stderr })
    })
    const spawnedAt = Date.now()
    child.stdout?.on('data', (chunk: string) => options.onStdout?.(chunk, Date.now()))
  })
}

/** The first line `command --version` (or another argument) prints, or undefined when it cannot run. */
export async function versionOf(command: string, argument = '--version'): Promise<string | undefined> {
  const ended = await runProcess(command, [argument]).catch(() => undefined)
  return ended?.code === 0 ? ended.stdout.split('\n')[0]!.trim() : undefined
}

/** Makes a Node process write its peak RSS (scripts/bench/rss-probe.mjs) to `file`; `peakRss` reads it. */
export function rssProbe(file: string): Record<string, string> {
  return { NODE_OPTIONS: `--import=${pathToFileURL(here('./rss-probe.mjs')).href}`, BENCH_RSS_FILE: file }
}

export function peakRss(file: string): number {
  const kib = Number(readFileSync(file, 'utf8'))
  rmSync(file)
  return kib * 1024
}

/**
 * The bundled action run as a workflow step; without `artifactService`, with `upload-artifact: false`.
 * Throws unless it reached a verdict: anything else would be the measurement of a failure.
 */
export async function runTheAction(options: {
  apiUrl: string
  webhook: string
  inputs?: Record<string, string>
  artifactService?: ArtifactService
  env?: Record<string, string>
}): Promise<Timed & { run: ActionRun }> {
  const times = { spawnedAt: 0, closedAt: 0 }
  const artifact = options.artifactService
  const run = await runAction({
    inputs: {
      webhook: options.webhook,
      'api-url': options.apiUrl,
      'upload-artifact': String(Boolean(artifact)),
      ...options.inputs
    },
    env: {
      ACTIONS_RUNTIME_TOKEN: artifact?.runtimeToken ?? '',
      ACTIONS_RESULTS_URL: artifact?.url ?? '',
      ...options.env
    },
    timeoutMs: 600_000,
    onSpawn: child => {
      times.spawnedAt = Date.now()
      child.once('close', () => (times.closedAt = Date.now()))
    }
  })
  rmSync(dirname(run.workspace), { recursive: true, force: true })
  if (run.outputs.result !== 'passed' && run.outputs.result !== 'failed') {
    const log = run.stdout.split('\n').slice(-15).join('\n')
    throw new Error(`the action ended with result '${run.outputs.result}':\n${log}\n${run.stderr}`)
  }
  return { run, ...times }
}

/** scripts/bench/recipe.sh run as a workflow `run:` step runs a script; throws unless it wrote the report. */
export async function runRecipe(
  url: string,
  webhook: string,
  intervalMs: number,
  ca?: string
): Promise<Timed> {
  const folder = mkdtempSync(join(tmpdir(), 'crashtest-bench-recipe-'))
  try {
    const ended = await runProcess('bash', ['--noprofile', '--norc', '-e', here('./recipe.sh')], {
      cwd: folder,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: folder,
        WEBHOOK: webhook,
        API_ENDPOINT: url,
        POLL_INTERVAL: String(intervalMs / 1000),
        ...(ca ? { CURL_CA_BUNDLE: ca } : {})
      }
    })
    const report = join(folder, 'report.xml')
    if (ended.code !== 0 || !existsSync(report) || !readFileSync(report, 'utf8').startsWith('<testsuites')) {
      throw new Error(
        `the recipe did not end with a report (exit ${ended.code}):\n${ended.stdout}${ended.stderr}`
      )
    }
    return ended
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

export type InstalledCommand = { tarball: string; prefix: string; bin: string }

/** The command packed and installed as the command lane's tests install it (scripts/install-command.mjs). */
export async function installCommand(folder: string): Promise<InstalledCommand> {
  type Helper = { installCommand: (checkout: string, folder: string) => InstalledCommand }
  return (await shared<Helper>('../install-command.mjs')).installCommand(here('../../'), folder)
}

export type PackageSize = ReturnType<typeof packageSize>

/** The tarball, every installed file (largest first) and the packages the install brought. */
export function packageSize(command: InstalledCommand) {
  const modules = join(command.prefix, 'node_modules')
  const own = join(modules, 'crashtest-dast')
  const files = readdirSync(own, { recursive: true, withFileTypes: true })
    .filter(entry => !entry.isDirectory())
    .map(entry => {
      const file = join(entry.parentPath, entry.name)
      return { path: relative(own, file).split(sep).join('/'), bytes: lstatSync(file).size }
    })
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
  return {
    tarballBytes: statSync(command.tarball).size,
    installedBytes: files.reduce((total, file) => total + file.bytes, 0),
    files,
    installedPackages: readdirSync(modules).filter(name => !name.startsWith('.'))
  }
}

/**
 * The installed bin run as a CI shell step runs it: through its `#!/usr/bin/env node` shebang with `node`
 * first on PATH and an environment of PATH, HOME, LANG and `env` only (no CI markers, CRASHTEST_*, npm_*).
 */
export function runCommand(
  command: InstalledCommand,
  node: string,
  args: string[],
  folder: string,
  env: Record<string, string>
): Promise<ProcessEnd> {
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter(entry => entry && !entry.split(sep).includes('node_modules'))
  return runProcess(command.bin, args, {
    cwd: folder,
    env: { PATH: [dirname(node), ...path].join(delimiter), HOME: folder, LANG: 'C.UTF-8', ...env }
  })
}

/** A Node binary of that major: the running one, or the registry's (scripts/node-binary.mjs). */
export async function nodeBinary(major: 22 | 24): Promise<string> {
  return (await shared<{ nodeBinary: (major: number) => string }>('../node-binary.mjs')).nodeBinary(major)
}

// The helpers shared with the test setup are plain JavaScript without type declarations: imported by URL.
async function shared<T>(file: string): Promise<T> {
  return (await import(new URL(file, import.meta.url).href)) as T
}
