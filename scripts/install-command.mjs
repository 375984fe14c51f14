// Installs the command as a user gets it: the package packed by scripts/pack.mjs from `checkout`, the
// tarball installed into an empty prefix offline, from an empty npm cache, so that it must install from
// itself alone. npm runs as a user's shell runs it: none of the npm_* variables of the `npm test` or
// `npm run bench` that started this process (its cache, prefix, log level…), no update check.
// Used by the command lane's test setup and by the benchmark.
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

/** Returns where it went: the tarball, the prefix and the bin, `<prefix>/node_modules/.bin/crashtest-dast`. */
export function installCommand(checkout, folder) {
  const [packDir, prefix, cache] = ['pack', 'prefix', 'npm-cache'].map(name => join(folder, name))
  for (const dir of [packDir, prefix, cache]) mkdirSync(dir, { recursive: true })
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)))
  Object.assign(env, { npm_config_cache: cache, npm_config_update_notifier: 'false' })

  const tarball = run(process.execPath, ['scripts/pack.mjs', packDir], checkout, env).trim()
  if (!existsSync(tarball)) throw new Error(`scripts/pack.mjs did not write ${tarball}`)
  const windows = process.platform === 'win32'
  const npm = windows ? 'npm.cmd' : 'npm'
  run(npm, ['install', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], checkout, env)
  const bin = join(prefix, 'node_modules', '.bin', 'crashtest-dast')
  try {
    accessSync(bin, constants.X_OK)
  } catch {
    throw new Error(`Installing ${tarball} gave no executable ${bin}: check "bin" in package.json.`)
  }
  return { tarball, prefix, bin }
}

function run(command, args, cwd, env) {
  const windows = process.platform === 'win32'
  const ended = spawnSync(command, args, { cwd, env, encoding: 'utf8', shell: windows, timeout: 180_000 })
  if (ended.error || ended.status !== 0) {
    const how = ended.error ? ended.error.message : `exit code ${ended.status ?? ended.signal}`
    throw new Error(
      `\`${[command, ...args].join(' ')}\` failed (${how}):\n${ended.stderr ?? ''}${ended.stdout ?? ''}`
    )
  }
  return ended.stdout
}
