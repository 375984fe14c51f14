// Finds a Node binary of a given major version: the running node when it is that major, otherwise the
// npm registry's node-<os>-<arch> package of that major, installed once into .node/<major>/ (git-ignored)
// and reused afterwards.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const isWindows = process.platform === 'win32'

/** The registry package that carries the Node binary for this machine (Windows: node-win-<arch>). */
export function nodePackageName() {
  return `node-${isWindows ? 'win' : process.platform}-${process.arch}`
}

/** Where nodeBinary(major) installs Node `major` (the folder need not exist). */
export function nodeInstallDir(major) {
  return join(root, '.node', String(major))
}

function binaryIn(prefix) {
  return join(prefix, 'node_modules', nodePackageName(), 'bin', isWindows ? 'node.exe' : 'node')
}

function majorOf(binary) {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8' })
  const match = /^v(\d+)\./.exec(run.stdout ?? '')
  return match ? Number(match[1]) : undefined
}

/**
 * Returns the path of a Node binary whose major version is `major`: process.execPath when the running
 * node is that major; otherwise the binary from the registry's node-<os>-<arch>@<major> package, which
 * is installed into .node/<major>/ the first time (npm prints its progress on stderr). Throws an Error
 * that says what to do when the install fails.
 */
export function nodeBinary(major) {
  if (!Number.isInteger(major) || major < 1) throw new Error(`nodeBinary: not a Node major version: ${major}`)
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath

  const dir = nodeInstallDir(major)
  const binary = binaryIn(dir)
  if (existsSync(binary)) return binary

  const spec = `${nodePackageName()}@${major}`
  const shown = relative(process.cwd(), dir) || '.'
  console.error(
    `node ${process.version} is not Node ${major}: installing ${spec} from the npm registry into ${shown}`
  )
  // Installed into a scratch folder first and moved into place once complete, so that an interrupted
  // install never leaves a half-written binary where the next run would take it as ready.
  mkdirSync(dirname(dir), { recursive: true })
  const scratch = `${dir}.installing-${process.pid}`
  rmSync(scratch, { recursive: true, force: true })
  try {
    const install = spawnSync(
      isWindows ? 'npm.cmd' : 'npm',
      ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', scratch, spec],
      // npm's output goes to stderr: stdout belongs to the command that asked for this Node.
      { stdio: ['ignore', 2, 2], shell: isWindows }
    )
    const installed = binaryIn(scratch)
    if (install.error || install.status !== 0 || !existsSync(installed)) {
      const why = install.error
        ? `npm could not be started (${install.error.message})`
        : install.status !== 0
          ? `npm install failed (${install.status === null ? `signal ${install.signal}` : `exit code ${install.status}`})`
          : `the package has no ${relative(scratch, installed)}`
      throw new Error(
        `Could not install Node ${major} from the npm registry (${spec}): ${why}. ` +
          `Check that the registry can be reached, or install Node ${major} and run on it.`
      )
    }
    const got = majorOf(installed)
    if (got !== major) {
      throw new Error(`${spec} from the npm registry runs as Node ${got ?? '(unknown)'}, not Node ${major}.`)
    }
    // Unless another process installed the same major meanwhile (then its copy is used), whatever is
    // in the way (a folder without the binary) makes room.
    if (!existsSync(binary)) {
      rmSync(dir, { recursive: true, force: true })
      try {
        renameSync(scratch, dir)
      } catch (error) {
        if (!existsSync(binary)) throw error
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
  return binary
}
