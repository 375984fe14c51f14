#!/usr/bin/env node
// Runs `node <args>` on Node 24, the runtime action.yml declares, even where the machine's default
// node is another major: the binary then comes from the npm registry's node-<os>-<arch> package,
// installed once into .node24/ (git-ignored).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const REQUIRED_MAJOR = 24
const root = join(dirname(fileURLToPath(import.meta.url)), '..')

function node24Binary() {
  if (Number(process.versions.node.split('.')[0]) === REQUIRED_MAJOR) return process.execPath
  const pkg = `node-${process.platform}-${process.arch}`
  const prefix = join(root, '.node24')
  const binary = join(prefix, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node')
  if (!existsSync(binary)) {
    console.error(
      `node ${process.version} is not Node ${REQUIRED_MAJOR}: installing ${pkg}@${REQUIRED_MAJOR} into .node24/`
    )
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    const install = spawnSync(
      npm,
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--prefix',
        prefix,
        `${pkg}@${REQUIRED_MAJOR}`
      ],
      { stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' }
    )
    if (install.status !== 0 || !existsSync(binary)) {
      console.error(
        `Could not install Node ${REQUIRED_MAJOR} from the npm registry (${pkg}). Install Node ${REQUIRED_MAJOR} and run again.`
      )
      process.exit(1)
    }
  }
  return binary
}

const binary = node24Binary()
// Children (the bundled action, the simulator) find Node 24 first on PATH as well.
const env = {
  ...process.env,
  PATH: `${dirname(binary)}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH}`
}
const child = spawn(binary, process.argv.slice(2), { stdio: 'inherit', env })
// Pass signals on, so that stopping this wrapper (a CI step, a job cancellation) stops the child too.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
child.on('error', error => {
  console.error(error.message)
  process.exit(1)
})
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
