/** The action's entry point, bundled into dist/index.js. */
import * as core from '@actions/core'
import { cancelOnSignals } from '../engine/run/cancellation.js'
import { githubLog } from './github-log.js'
import { run } from './main.js'

/** How long work abandoned on cancellation (an upload, a socket) may hold the process after the run. */
const EXIT_GRACE_MS = 500

const cancellation = cancelOnSignals(githubLog, 'the job is being cancelled')
run(cancellation.signal)
  .catch(error => {
    core.setOutput('result', 'error')
    core.setFailed(`Unexpected failure: ${error instanceof Error ? error.message : String(error)}`)
  })
  .finally(() => {
    cancellation.release()
    if (cancellation.signal.aborted) setTimeout(() => process.exit(), EXIT_GRACE_MS).unref()
  })
