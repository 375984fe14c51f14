// The end-to-end lanes run dist/ as users get it, so they refuse a dist/ that is not what the current
// source builds: the bundles are built into a temporary folder and compared with dist/, byte for byte.
// Once per Jest run, however many lanes ask (Jest runs every lane's global setup in one process).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { buildBundles, root } from '../../scripts/bundles.mjs'

function filesIn(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => relative(dir, join(entry.parentPath, entry.name)))
    .sort()
}

/** The first difference between the two folders' files, or undefined when they are the same. */
function firstDifference(built, committed) {
  const builtFiles = filesIn(built)
  const committedFiles = filesIn(committed)
  for (const file of new Set([...builtFiles, ...committedFiles])) {
    if (!committedFiles.includes(file)) return `dist/${file} is missing`
    if (!builtFiles.includes(file)) return `dist/${file} is no longer built`
    if (!readFileSync(join(built, file)).equals(readFileSync(join(committed, file)))) {
      return `dist/${file} differs`
    }
  }
  return undefined
}

async function checkDist() {
  const built = mkdtempSync(join(tmpdir(), 'crashtest-dist-'))
  try {
    await buildBundles(built)
    const difference = firstDifference(built, join(root, 'dist'))
    if (difference) {
      throw new Error(
        `dist/ is not what the source builds (${difference}): run \`npm run package\` (and commit dist/). ` +
          'The end-to-end tests run dist/ as users get it, so they do not run a stale one.'
      )
    }
  } finally {
    rmSync(built, { recursive: true, force: true })
  }
}

export function requireFreshDist() {
  globalThis.__CRASHTEST_FRESH_DIST__ ??= checkDist()
  return globalThis.__CRASHTEST_FRESH_DIST__
}
