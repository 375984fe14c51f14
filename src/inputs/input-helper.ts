import * as core from '@actions/core'
import { readApiSpec } from './api-spec.js'
import { parseInputs } from './parse-inputs.js'
import { scanConfigSecrets, UNTRIMMED_INPUTS } from './scan-config.js'
import { loadPolicyFiles } from './policy-files.js'
import type { Settings } from './settings.js'
import { credentialForms } from './veracode.js'

/**
 * Reads the action's inputs into validated settings; the only module that calls `core.getInput`.
 * Asynchronous because some inputs name files that are read and checked here, before any request.
 */
export async function getSettings(): Promise<Settings> {
  const read = (name: string): string =>
    core.getInput(name, { trimWhitespace: !UNTRIMMED_INPUTS.includes(name) })
  // Mask before validating, so that no later message can carry the secret, whatever its form.
  const webhook = core.getInput('webhook')
  if (webhook) core.setSecret(webhook)
  const githubToken = core.getInput('github-token')
  if (githubToken) core.setSecret(githubToken)
  for (const secret of scanConfigSecrets(read)) core.setSecret(secret)
  for (const name of ['veracode-api-id', 'veracode-api-key']) {
    for (const form of credentialForms(core.getInput(name))) core.setSecret(form)
  }
  const settings = parseInputs(read, process.env.GITHUB_WORKSPACE || process.cwd())
  if (settings.api.webhook !== webhook) core.setSecret(settings.api.webhook)
  const apiSpec = settings.scanConfig.apiSpec
  if (apiSpec) apiSpec.document = await readApiSpec(apiSpec)
  Object.assign(settings.policy, await loadPolicyFiles(settings.policyFiles))
  return settings
}
