#!/usr/bin/env node
// Runs `node <args>` on Node 24, the runtime action.yml declares, even where the machine's default
// node is another major: the binary then comes from the npm registry (scripts/node-binary.mjs,
// installed once into .node/24/, git-ignored).
import { spawn } from 'node:child_process'
import { delimiter, dirname } from 'node:path'
import { nodeBinary } from './node-binary.mjs'

let binary
try {
  binary = nodeBinary(24)
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
}
// Children (the bundled action, the simulator, the tests' npm) find Node 24 first on PATH as well.
const env = { ...process.env, PATH: `${dirname(binary)}${delimiter}${process.env.PATH ?? ''}` }
const child = spawn(binary, process.argv.slice(2), { stdio: 'inherit', env })
// Pass signals on, so that stopping this wrapper (a CI step, a job cancellation) stops the child too.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
child.on('error', error => {
  console.error(error.message)
  process.exit(1)
})
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
