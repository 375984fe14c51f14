// Global teardown of the command lane: removes the temporary folder of command-lane.mjs (the packed tarball, the
// installed prefix, and every run folder of __tests__/cli/harness.ts).
import { rmSync } from 'node:fs'
import { basename } from 'node:path'
import { TMP_PREFIX } from './command-lane.mjs'

export default async function globalTeardown() {
  const tmp = globalThis.__CRASHTEST_TEST_TMP__
  if (typeof tmp === 'string' && basename(tmp).startsWith(TMP_PREFIX)) {
    rmSync(tmp, { recursive: true, force: true, maxRetries: 3 })
  }
  delete globalThis.__CRASHTEST_TEST_TMP__
}
