import type { RunLog } from '../log/run-log.js'
import { readApiSpec } from './api-spec.js'
import { InputError, InputFields, type InputReader } from './input-fields.js'
import { OPTIONS } from './options.js'
import { outputPathProblems, type OutputPath } from './output-paths.js'
import { parseSettings } from './parse-inputs.js'
import { loadPolicyFiles } from './policy-files.js'
import { scanConfigSecrets } from './scan-config.js'
import type { Settings } from './settings.js'
import { namedLines } from './targets.js'
import { credentialForms } from './veracode.js'

/**
 * Reads the options into validated settings, with the front end's own settings parsed by
 * `parseFrontEnd` from the same fields, so that one message lists every problem, each naming the options
 * as the front end does (`log.option`). Every secret is handed
 * to `log.secret` before anything is validated, so that no later message can carry it, whatever its
 * form. Asynchronous because some options name files that are read and checked here, before any request.
 */
export async function readSettings<FrontEnd>(
  read: InputReader,
  baseDir: string,
  log: RunLog,
  parseFrontEnd: (fields: InputFields, settings: Settings) => FrontEnd,
  /** The files the front end writes itself, checked with the engine's before any request. */
  frontEndOutputs: (frontEnd: FrontEnd) => OutputPath[] = () => []
): Promise<{ settings: Settings; frontEnd: FrontEnd }> {
  const fields = new InputFields(read, name => log.option(name))
  for (const secret of secretsOf(fields.read)) log.secret(secret)
  const settings = parseSettings(fields, baseDir)
  const frontEnd = parseFrontEnd(fields, settings)
  const outputs = [...outputPathsOf(settings), ...frontEndOutputs(frontEnd)]
  for (const problem of await outputPathProblems(outputs)) fields.problem(problem)
  fields.check()
  // The secret inside a whole webhook URL, as it travels in request paths.
  for (const target of settings.targets) log.secret(target.api.webhook)
  // The files named by options are read last; their problems name the options as the others do.
  const named = (error: unknown): never => {
    throw error instanceof InputError ? new InputError(error.problems.map(fields.named)) : error
  }
  const apiSpec = settings.scanConfig.apiSpec
  if (apiSpec) apiSpec.document = await readApiSpec(apiSpec).catch(named)
  Object.assign(settings.policy, await loadPolicyFiles(settings.policyFiles).catch(named))
  return { settings, frontEnd }
}

/** Every file the run writes, by the option that names it (the findings file goes beside the report). */
function outputPathsOf(settings: Settings): OutputPath[] {
  const optional = (option: string, path: string | undefined): OutputPath[] =>
    path ? [{ option, path }] : []
  return [
    ...settings.targets.map(target => ({ option: 'report-path', path: target.reportPath })),
    ...optional('sarif-path', settings.sarifPath),
    ...optional('gitlab-report', settings.gitlabReportPath)
  ]
}

/** Every secret among the options, in each form it may be printed in. */
function secretsOf(read: (name: string) => string): string[] {
  const secrets = OPTIONS.filter(option => option.secret).map(option => read(option.name))
  // Each line of several webhooks on its own: a mask matches within one line of the log.
  for (const line of namedLines(read('webhook'))) secrets.push(line.value)
  secrets.push(...scanConfigSecrets(read))
  for (const name of ['veracode-api-id', 'veracode-api-key']) secrets.push(...credentialForms(read(name)))
  return [...new Set(secrets.filter(secret => secret.trim() !== ''))]
}
