import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { errorMessage, errorClause } from '../api/errors.js'
import { parseSuppressions, SuppressionsError } from '../policy/suppressions.js'
import { parseJunitReport } from '../report/junit.js'
import { InputError } from './input-fields.js'
import type { PolicySettings } from '../policy/gate.js'
import type { InputFile, Settings } from './settings.js'

/**
 * Reads the files `suppressions` and `baseline` name, before any request is sent: a file that cannot
 * be used is an input error naming the input, the file and (for suppressions) the line.
 */
export async function loadPolicyFiles(
  files: Settings['policyFiles']
): Promise<Pick<PolicySettings, 'suppressions' | 'baseline'>> {
  const problems: string[] = []
  const loaded: Pick<PolicySettings, 'suppressions' | 'baseline'> = {}
  if (files.suppressions) {
    const entries = await readSuppressions(files.suppressions, problems)
    if (entries) loaded.suppressions = { file: files.suppressions.input, entries }
  }
  if (files.baseline && files.baseline !== 'auto') {
    const findings = await readBaseline(files.baseline, problems)
    if (findings) loaded.baseline = { file: files.baseline.input, findings }
  }
  if (problems.length > 0) throw new InputError(problems)
  return loaded
}

async function readSuppressions(file: InputFile, problems: string[]) {
  const where = `'suppressions' file ${file.input}`
  let text: string
  try {
    text = await readFile(file.path, 'utf8')
  } catch (error) {
    problems.push(`${where} cannot be read: ${errorMessage(error)}`)
    return undefined
  }
  try {
    return parseSuppressions(text)
  } catch (error) {
    if (!(error instanceof SuppressionsError)) throw error
    problems.push(...error.problems.map(problem => `${where}, ${problem}`))
    return undefined
  }
}

async function readBaseline(file: InputFile, problems: string[]) {
  try {
    const report = await parseJunitReport(createReadStream(file.path))
    return report.findings
  } catch (error) {
    problems.push(
      `'baseline' file ${file.input} cannot be read as a JUnit report: ${errorClause(error)}. Give the report of an earlier scan of this target, or leave 'baseline' empty.`
    )
    return undefined
  }
}
