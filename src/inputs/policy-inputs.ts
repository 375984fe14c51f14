import { isAbsolute, resolve } from 'node:path'
import type { InputFields } from './input-fields.js'
import type { InputFile, Settings } from './settings.js'

/** The inputs `suppressions` and `baseline`: paths relative to the workspace. Pure; the files are read later. */
export function parsePolicyFiles(fields: InputFields, workspace: string): Settings['policyFiles'] {
  const file = (name: string): InputFile | undefined => {
    const input = fields.text(name)
    if (input === '') return undefined
    return { input, path: isAbsolute(input) ? input : resolve(workspace, input) }
  }
  const files: Settings['policyFiles'] = {}
  const suppressions = file('suppressions')
  const baseline = file('baseline')
  if (suppressions) files.suppressions = suppressions
  if (baseline) files.baseline = baseline
  return files
}
