/** The command's entry point, bundled into dist/cli/index.js: the npm package's `crashtest-dast`. */
import './node-version.js'
import packageJson from '../../package.json' with { type: 'json' }
import { main } from './main.js'

/** How long work abandoned on an interruption (a socket closing) may hold the process after the run. */
const EXIT_GRACE_MS = 500

process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  version: packageJson.version
})
setTimeout(() => process.exit(), EXIT_GRACE_MS).unref()
