// Global setup of the command lane (__tests__/cli, the docs/ci pages), run once before its first test
// file: checks that dist/ is what the source builds, readies Node 22 and Node 24 and installs the
// command as a user gets it. A copy of the checkout's files, without node_modules or anything git
// ignores (a fresh clone with no `npm ci`), is packed (`npm pack`, no scripts) and the tarball installed
// into an empty prefix offline, from an empty npm cache: the package must install from itself alone. The
// test workers inherit where everything is through these environment variables (read them through __tests__/cli/harness.ts):
//   CRASHTEST_TEST_BIN      <prefix>/node_modules/.bin/crashtest-dast, the installed command
//   CRASHTEST_TEST_PREFIX   the npm prefix it was installed into
//   CRASHTEST_TEST_TARBALL  the packed .tgz
//   CRASHTEST_TEST_NODE22   a Node 22 binary
//   CRASHTEST_TEST_NODE24   a Node 24 binary
//   CRASHTEST_TEST_TMP      the temporary folder holding all of it (removed by teardown.mjs)
import { spawnSync } from 'node:child_process'
import {
  accessSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { nodeBinary } from '../../scripts/node-binary.mjs'
import { requireFreshDist } from './fresh-dist.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const TMP_PREFIX = 'crashtest-test-'

// npm as the child processes see it: none of the npm_* variables of the `npm test` that started Jest
// (its cache, prefix, log level…), an empty cache of its own, no update check.
function npmEnv(cache) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)))
  return { ...env, npm_config_cache: cache, npm_config_update_notifier: 'false' }
}

function npm(args, env, cwd = root) {
  const windows = process.platform === 'win32'
  const run = spawnSync(windows ? 'npm.cmd' : 'npm', args, {
    cwd,
    env,
    encoding: 'utf8',
    shell: windows,
    timeout: 120_000
  })
  if (run.error || run.status !== 0) {
    const how = run.error ? run.error.message : `exit code ${run.status ?? run.signal}`
    throw new Error(`\`npm ${args.join(' ')}\` failed (${how}):\n${run.stderr ?? ''}${run.stdout ?? ''}`)
  }
  return run.stdout
}

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
    const packDir = join(tmp, 'pack')
    const prefix = join(tmp, 'prefix')
    const cache = join(tmp, 'npm-cache')
    for (const dir of [packDir, prefix, cache]) mkdirSync(dir)
    const env = npmEnv(cache)

    // Packed as the release workflow packs it (scripts/pack.mjs), from the files a fresh clone has.
    const checkout = join(tmp, 'checkout')
    copyCheckout(checkout)
    const pack = spawnSync(process.execPath, ['scripts/pack.mjs', packDir], {
      cwd: checkout,
      env,
      encoding: 'utf8'
    })
    if (pack.status !== 0) throw new Error(`scripts/pack.mjs failed:\n${pack.stderr}${pack.stdout}`)
    const tarball = pack.stdout.trim()
    if (!existsSync(tarball)) throw new Error(`scripts/pack.mjs did not write ${tarball}`)

    npm(['install', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], env)
    const bin = join(prefix, 'node_modules', '.bin', 'crashtest-dast')
    try {
      accessSync(bin, constants.X_OK)
    } catch {
      throw new Error(`Installing ${tarball} gave no executable ${bin}: check "bin" in package.json.`)
    }

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
