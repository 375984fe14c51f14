// Builds the two bundles with ncc: the action (<out>/index.js, which action.yml runs) and the command
// (<out>/cli/index.js, the npm package's bin), each with the licenses of what it bundles. Not minified,
// so that a user can read in dist/ what runs with their webhook and API key; no source maps, which would
// double its size. `npm run package` builds into dist/; the end-to-end tests build into a temporary
// folder to make sure dist/ is what the source builds (__tests__/setup/fresh-dist.mjs).
import { execFile } from 'node:child_process'
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')

async function nccBuild(entry, out) {
  try {
    await promisify(execFile)(
      process.execPath,
      [ncc, 'build', entry, '-o', out, '--license', 'licenses.txt'],
      {
        cwd: root,
        maxBuffer: 16 * 1024 * 1024
      }
    )
  } catch (error) {
    throw new Error(`ncc could not build ${entry}:\n${error.stderr || error.stdout || error.message}`)
  }
}

/** Builds both bundles into `out` (emptied first); both builds run at once. */
export async function buildBundles(out) {
  rmSync(out, { recursive: true, force: true })
  await Promise.all([nccBuild('src/action/index.ts', out), nccBuild('src/cli/index.ts', join(out, 'cli'))])

  // The command runs through its shebang once npm links it onto PATH.
  const bin = join(out, 'cli', 'index.js')
  const code = readFileSync(bin, 'utf8')
  if (!code.startsWith('#!')) writeFileSync(bin, `#!/usr/bin/env node\n${code}`)
  chmodSync(bin, 0o755)
}
