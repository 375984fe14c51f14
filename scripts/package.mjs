#!/usr/bin/env node
// Builds the two committed bundles from scratch: the action (dist/index.js, which action.yml runs) and the
// command (dist/cli/index.js, the npm package's bin), each with the licenses of what it bundles. Then
// writes action.yml's inputs and outputs from the engine's option definitions. Not minified, so that a user
// can read in dist/ what runs with their webhook and API key; no source maps, which would double its size.
// The runner's download of the action leaves out what the action never runs (`export-ignore` in
// .gitattributes); docs/benchmarks.md measures that download.
import { execFileSync } from 'node:child_process'
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
const run = (...args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' })

rmSync(join(root, 'dist'), { recursive: true, force: true })
run(ncc, 'build', 'src/action/index.ts', '-o', 'dist', '--license', 'licenses.txt')
run(ncc, 'build', 'src/cli/index.ts', '-o', 'dist/cli', '--license', 'licenses.txt')

// The command runs through its shebang once npm links it onto PATH.
const bin = join(root, 'dist', 'cli', 'index.js')
const code = readFileSync(bin, 'utf8')
if (!code.startsWith('#!')) writeFileSync(bin, `#!/usr/bin/env node\n${code}`)
chmodSync(bin, 0o755)

run('--import', 'tsx', 'scripts/action-yml.ts')
