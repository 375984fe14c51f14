import * as core from '@actions/core'
import type { RunLog } from '../engine/log/run-log.js'

/** The engine's log on a GitHub runner: groups, warning annotations, and masks the runner applies. */
export const githubLog: RunLog = {
  info: message => core.info(message),
  progress: message => core.info(message),
  warning: (message, title) => core.warning(message, title === undefined ? {} : { title }),
  section: (name, work) => core.group(name, work),
  secret: value => core.setSecret(value),
  option: (name, value) => (value === undefined ? `'${name}'` : `'${name}: ${value}'`)
}
