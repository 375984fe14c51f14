import * as core from '@actions/core'
import { parseInputs } from './parse-inputs.js'
import type { Settings } from './settings.js'

/**
 * Reads the action's inputs into validated settings; the only module that calls `core.getInput`.
 * Asynchronous because some inputs name files that are read and checked here, before any request.
 */
export async function getSettings(): Promise<Settings> {
  // Mask before validating, so that no later message can carry the secret, whatever its form.
  const webhook = core.getInput('webhook')
  if (webhook) core.setSecret(webhook)
  const githubToken = core.getInput('github-token')
  if (githubToken) core.setSecret(githubToken)
  const settings = parseInputs(name => core.getInput(name), process.env.GITHUB_WORKSPACE || process.cwd())
  if (settings.api.webhook !== webhook) core.setSecret(settings.api.webhook)
  return settings
}
