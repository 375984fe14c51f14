import { InputFields, type InputReader } from '../../src/engine/settings/input-fields.js'
import { parseSettings } from '../../src/engine/settings/parse-inputs.js'
import type { Settings } from '../../src/engine/settings/settings.js'

/** The settings read from `read`, as the front ends read them: every problem at once, as an InputError. */
export function parseInputs(read: InputReader, baseDir: string): Settings {
  const fields = new InputFields(read)
  const settings = parseSettings(fields, baseDir)
  fields.check()
  return settings
}
