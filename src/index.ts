/** The action's entry point, bundled into dist/index.js. */
import * as core from '@actions/core'
import { run } from './main.js'

run().catch(error => {
  core.setOutput('result', 'error')
  core.setFailed(`Unexpected failure: ${error instanceof Error ? error.message : String(error)}`)
})
