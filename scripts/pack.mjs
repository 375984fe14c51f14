#!/usr/bin/env node
// Packs the npm package of the command: `node scripts/pack.mjs <destination folder>` writes the tarball
// there and prints its path. npm always puts the README.md of the packed folder into the package, and the
// repository's is the action's, so the package is packed from a folder of its own: package.json, LICENSE,
// dist/cli/ and docs/npm/README.md (the command's README) as README.md. npm pack then checks the file list
// of package.json as usual.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { root } from './bundles.mjs'

const destination = process.argv[2]
if (!destination) {
  console.error('Usage: node scripts/pack.mjs <destination folder>')
  process.exit(2)
}

mkdirSync(destination, { recursive: true })
const folder = mkdtempSync(join(tmpdir(), 'crashtest-pack-'))
try {
  for (const file of ['package.json', 'LICENSE', join('dist', 'cli')]) {
    cpSync(join(root, file), join(folder, file), { recursive: true })
  }
  cpSync(join(root, 'docs', 'npm', 'README.md'), join(folder, 'README.md'))
  const windows = process.platform === 'win32'
  const packed = execFileSync(
    windows ? 'npm.cmd' : 'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', resolve(destination)],
    { cwd: folder, encoding: 'utf8', shell: windows }
  )
  console.log(join(resolve(destination), JSON.parse(packed)[0].filename))
} finally {
  rmSync(folder, { recursive: true, force: true })
}
