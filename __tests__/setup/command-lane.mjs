// Global setup of the command lane (__tests__/cli, the docs/ci pages), run once before its first test
// file: checks that dist/ is what the source builds, readies Node 22 and Node 24 and installs the
// command as a user gets it. A copy of the checkout's files, without node_modules or anything git
// ignores (a fresh clone with no `npm ci`), is packed and installed by scripts/install-command.mjs. The
// test workers inherit where everything is through these environment variables (read them through __tests__/cli/harness.ts):
//   CRASHTEST_TEST_BIN      <prefix>/node_modules/.bin/crashtest-dast, the installed command
//   CRASHTEST_TEST_PREFIX   the npm prefix it was installed into
//   CRASHTEST_TEST_TARBALL  the packed .tgz
//   CRASHTEST_TEST_NODE22   a Node 22 binary
//   CRASHTEST_TEST_NODE24   a Node 24 binary
//   CRASHTEST_TEST_TMP      the temporary folder holding all of it (removed by teardown.mjs)
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { installCommand } from '../../scripts/install-command.mjs'
import { nodeBinary } from '../../scripts/node-binary.mjs'
import { requireFreshDist } from './fresh-dist.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const TMP_PREFIX = 'crashtest-test-'

/** The files of the checkout as a fresh clone has them (committed or not yet, but never ignored ones). */
function copyCheckout(destination) {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8'
  })
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr || listed.error?.message}`)
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = join(root, file)
    if (!existsSync(from)) continue // deleted, not yet committed
    mkdirSync(dirname(join(destination, file)), { recursive: true })
    copyFileSync(from, join(destination, file))
  }
}

export default async function commandLaneSetup() {
  await requireFreshDist()
  const node22 = nodeBinary(22)
  const node24 = nodeBinary(24)

  const tmp = mkdtempSync(join(realpathSync(tmpdir()), TMP_PREFIX))
  globalThis.__CRASHTEST_TEST_TMP__ = tmp
  try {
    // Packed as the release workflow packs it (scripts/pack.mjs), from the files a fresh clone has.
    const checkout = join(tmp, 'checkout')
    copyCheckout(checkout)
    const { bin, prefix, tarball } = installCommand(checkout, tmp)

    Object.assign(process.env, {
      CRASHTEST_TEST_BIN: bin,
      CRASHTEST_TEST_PREFIX: prefix,
      CRASHTEST_TEST_TARBALL: tarball,
      CRASHTEST_TEST_NODE22: node22,
      CRASHTEST_TEST_NODE24: node24,
      CRASHTEST_TEST_TMP: tmp
    })
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true })
    throw error
  }
}
