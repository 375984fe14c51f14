#!/usr/bin/env node
// Bundles undici on its own into dist/undici/ (`npm run package` runs this after the action's bundle).
// The action's bundle maps `undici` to src/lazy/undici.cjs (see tsconfig.json), which loads this file
// the first time an export of undici is used: undici is some 900 kB of code that @actions/core and
// @actions/http-client import at their top but that the action needs only for proxied fetch() calls,
// so keeping it out of dist/index.js takes its compile and load time off every start.
import ncc from '@vercel/ncc'
import { readdirSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'dist', 'undici')

// Every importer of `undici` gets this one copy, which is right only while the tree has a single undici.
const nested = findNested(join(root, 'node_modules'))
if (nested.length > 0) {
  console.error(
    `More than one undici is installed (${nested.join(', ')}); the bundle maps every import of ` +
      `undici to node_modules/undici. Align the versions, or drop the mapping in tsconfig.json.`
  )
  process.exit(1)
}

const { code, assets } = await ncc(join(root, 'node_modules', 'undici', 'index.js'), {
  cache: false,
  license: 'licenses.txt',
  sourceMap: false,
  quiet: true
})
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
// .cjs: dist/package.json makes .js files ES modules, and this bundle is CommonJS.
writeFileSync(join(out, 'index.cjs'), code)
for (const [name, asset] of Object.entries(assets)) writeFileSync(join(out, name), asset.source)
console.log(`dist/undici/index.cjs: ${Math.round(code.length / 1024)} kB`)

function findNested(folder, depth = 0) {
  const found = []
  if (!existsSync(folder) || depth > 6) return found
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue
    const path = join(folder, entry.name)
    if (entry.name.startsWith('@')) {
      found.push(...findNested(path, depth))
      continue
    }
    const inner = join(path, 'node_modules')
    if (existsSync(join(inner, 'undici'))) found.push(join(inner, 'undici'))
    found.push(...findNested(inner, depth + 1))
  }
  return found
}
