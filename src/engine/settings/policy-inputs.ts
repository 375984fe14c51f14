import { resolvePath, type InputFields } from './input-fields.js'
import type { InputFile, Settings } from './settings.js'

/** The options `suppressions` and `baseline`: paths relative to `baseDir`, or `auto`. Pure; the files are read later. */
export function parsePolicyFiles(fields: InputFields, baseDir: string): Settings['policyFiles'] {
  const file = (name: string): InputFile | undefined => {
    const input = fields.text(name)
    if (input === '') return undefined
    return { input, path: resolvePath(input, baseDir) }
  }
  const files: Settings['policyFiles'] = {}
  const suppressions = file('suppressions')
  // `auto`: the front end finds the earlier report itself (the action, through GitHub's API).
  const baseline = fields.text('baseline') === 'auto' ? 'auto' : file('baseline')
  if (suppressions) files.suppressions = suppressions
  if (baseline) files.baseline = baseline
  return files
}
