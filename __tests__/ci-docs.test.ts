// The pages of docs/ci/ are configurations users copy into CI systems this repository cannot run. This
// file checks each of them as far as a machine here can:
// 1. Its configuration parses with a real parser (YAML with the `yaml` package, shell with `bash -n`
//    and `sh -n`) and has the structure that matters in that system: the report step, the condition
//    that runs it after a failed scan, the secret mapped the way the system needs. Jenkinsfiles
//    (Groovy) and TeamCity's Kotlin DSL have no parser here, so they get a structural check instead:
//    balanced brackets outside strings and comments, and the blocks and steps found where they belong.
// 2. The `crashtest-dast scan …` command line the page runs, with the system's own variable syntax
//    resolved as the system resolves it, is run through `bash -c` by the installed command (the packed
//    repository, see __tests__/cli/harness.ts) against the webhook API simulator in Veracode mode, with
//    the environment the page gives the step (the webhook and the Veracode credentials mapped as the page
//    maps them, the system's marker variables). Every request must carry a valid signature; a target with
//    one high finding must fail the build (exit code 1) and leave the judged JUnit report, with that
//    finding's failure, where the page's test import reads it; no secret may show in the output.
// The pages install the package's own version (`npm install --global crashtest-dast@<version>`); the
// scripts run here skip that line, the packed command being installed already, and npm is offline.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, isAbsolute, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { minimatch } from 'minimatch'
import { parseDocument } from 'yaml'
import { startSimulator, type Simulator } from '../simulator/webhook-api.js'
import { gitlabReportProblems } from './fixtures/gitlab-report-schema.js'
import { installedPackage, nodeBinaryPath, runInCliEnvironment, type CliRun } from './cli/harness.js'

const ciDir = fileURLToPath(new URL('../docs/ci/', import.meta.url))
const PAGE_NAMES = readdirSync(ciDir)
  .filter(name => name.endsWith('.md') && name !== 'README.md')
  .sort()
const read = (name: string): string => readFileSync(join(ciDir, name), 'utf8')

// ---- Markdown, YAML, shell ----------------------------------------------------------------------------

interface CodeBlock {
  lang: string
  text: string
}

function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/^```(\w*)[^\n]*\n([\s\S]*?)^```$/gm)].map(m => ({
    lang: m[1] ?? '',
    text: m[2] ?? ''
  }))
}

function blocksOf(markdown: string, lang: string): string[] {
  return codeBlocks(markdown)
    .filter(block => block.lang === lang)
    .map(block => block.text)
}

function onlyBlock(markdown: string, lang: string): string {
  const blocks = blocksOf(markdown, lang)
  expect(blocks).toHaveLength(1)
  return blocks[0] as string
}

/** The document, or a failed expectation listing every parse error. */
function parseYaml(source: string): unknown {
  const doc = parseDocument(source)
  expect(doc.errors.map(error => error.message)).toEqual([])
  return doc.toJS() as unknown
}

type Mapping = Record<string, unknown>

function mapping(value: unknown, where: string): Mapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where} is not a mapping: ${JSON.stringify(value)}`)
  }
  return value as Mapping
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where} is not a list: ${JSON.stringify(value)}`)
  return value
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where} is not a string: ${JSON.stringify(value)}`)
  return value
}

/** A string, or a list of strings, as a list. */
function strings(value: unknown, where: string): string[] {
  return typeof value === 'string'
    ? [value]
    : list(value, where).map((item, i) => text(item, `${where}[${i}]`))
}

/** `bash -n` (or `sh -n`): '' when the script parses, else the shell's message. */
function shellSyntaxProblem(script: string, shell: 'bash' | 'sh' = 'bash'): string {
  const run = spawnSync(shell, ['-n'], { input: script, encoding: 'utf8' })
  if (run.error) throw run.error
  return run.status === 0 ? '' : `${shell} -n: ${run.stderr.trim()}`
}

/** Splits a shell line into words as the shell would before expansion (quotes removed). */
function shellWords(line: string): string[] {
  const words: string[] = []
  let word: string | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string
    if (c === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new Error(`Unclosed ' in: ${line}`)
      word = (word ?? '') + line.slice(i + 1, end)
      i = end
    } else if (c === '"') {
      let j = i + 1
      let value = ''
      for (; j < line.length && line[j] !== '"'; j++) value += line[j] === '\\' ? (line[++j] ?? '') : line[j]
      if (j >= line.length) throw new Error(`Unclosed " in: ${line}`)
      word = (word ?? '') + value
      i = j
    } else if (c === '\\') {
      word = (word ?? '') + (line[++i] ?? '')
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word)
      word = undefined
    } else {
      word = (word ?? '') + c
    }
  }
  if (word !== undefined) words.push(word)
  return words
}

/** The simple command starting at `from`: up to the first unquoted `;`, `&`, `|`, `#` or line end. */
function simpleCommand(line: string, from: number): string {
  let quote: string | undefined
  for (let i = from; i < line.length; i++) {
    const c = line[i] as string
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === '\\' && quote === '"') i++
    } else if (c === "'" || c === '"') quote = c
    else if (c === '\\') i++
    else if (';&|\n'.includes(c) || (c === '#' && /\s/.test(line[i - 1] ?? ' ')))
      return line.slice(from, i).trim()
  }
  return line.slice(from).trim()
}

const SCAN = /(?:\bnpx\s+(?:--yes\s+|-y\s+)?crashtest-dast(?:@\S+)?|(?<![\w/.-])crashtest-dast)\s+scan\b/

/** Every `crashtest-dast scan …` command line of a script, `\` continuations joined. */
function scanCommands(script: string): string[] {
  const lines = script.replace(/\\\n[ \t]*/g, ' ').split('\n')
  return lines.flatMap(line => {
    const match = SCAN.exec(line)
    return match && !line.trimStart().startsWith('#') ? [simpleCommand(line, match.index)] : []
  })
}

/** The value of `--name value` or `--name=value` on a command line, or `fallback`. */
function flag(command: string, name: string, fallback?: string): string | undefined {
  const words = shellWords(command)
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string
    if (word === `--${name}`) return words[i + 1]
    if (word.startsWith(`--${name}=`)) return word.slice(name.length + 3)
  }
  return fallback
}

const reportPathOf = (command: string): string =>
  flag(command, 'report-path', 'crashtest-report.xml') as string
const junitPathOf = (command: string): string => flag(command, 'junit-path', 'crashtest-junit.xml') as string

/** The line every page installs the command with: this package's version, exactly. */
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version
const INSTALL_LINE = `npm install --global crashtest-dast@${PACKAGE_VERSION}`
const CREDENTIAL_NAMES = ['CRASHTEST_WEBHOOK', 'VERACODE_API_KEY_ID', 'VERACODE_API_KEY_SECRET']

/** Kotlin's String.trimIndent(): blank first and last lines dropped, the common indent removed. */
function trimIndent(raw: string): string {
  const lines = raw.split('\n')
  if (lines[0]?.trim() === '') lines.shift()
  if (lines.at(-1)?.trim() === '') lines.pop()
  const indent = Math.min(
    ...lines.filter(l => l.trim() !== '').map(l => (/^\s*/.exec(l) as RegExpExecArray)[0].length)
  )
  return lines.map(l => l.slice(indent)).join('\n')
}

// ---- Groovy and Kotlin: no parser here, so a structural check ---------------------------------------

/**
 * Walks Groovy or Kotlin source outside strings and comments: `'…'`, `"…"`, `'''…'''`, `"""…"""`, `//` and
 * `/* … *\/`. Calls `visit` with each code character and its index; returns the unclosed string or
 * comment, if any.
 */
function walkCode(source: string, visit: (c: string, i: number) => boolean | void): string | undefined {
  for (let i = 0; i < source.length; i++) {
    const rest = source.slice(i)
    const triple = rest.startsWith("'''") ? "'''" : rest.startsWith('"""') ? '"""' : undefined
    if (triple) {
      const end = source.indexOf(triple, i + 3)
      if (end < 0) return `unclosed ${triple}`
      i = end + 2
    } else if (rest.startsWith('//')) {
      const end = source.indexOf('\n', i)
      i = end < 0 ? source.length : end
    } else if (rest.startsWith('/*')) {
      const end = source.indexOf('*/', i + 2)
      if (end < 0) return 'unclosed /*'
      i = end + 1
    } else if (rest[0] === "'" || rest[0] === '"') {
      let j = i + 1
      while (j < source.length && source[j] !== rest[0] && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1
      if (source[j] !== rest[0]) return `unclosed ${rest[0]} at ${i}`
      i = j
    } else if (visit(rest[0] as string, i) === true) {
      return undefined
    }
  }
  return undefined
}

/** Problems with the brackets of Groovy or Kotlin source: unbalanced, misnested, or an unclosed string. */
function bracketProblems(source: string): string[] {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' }
  const stack: string[] = []
  const problems: string[] = []
  const unclosed = walkCode(source, (c, i) => {
    if ('([{'.includes(c)) stack.push(c)
    else if (c in pairs && stack.pop() !== pairs[c]) problems.push(`${c} at ${i} closes nothing open`)
  })
  if (unclosed) problems.push(unclosed)
  if (stack.length > 0) problems.push(`unclosed ${stack.join('')}`)
  return problems
}

/** The text inside the first braces after the first `name` in `source` (outside strings and comments). */
function block(source: string, name: string): string {
  const head = new RegExp(`(?<![\\w.])${name}(?!\\w)`).exec(source)
  if (!head) throw new Error(`No \`${name}\` in the source`)
  const start = head.index
  let open = -1
  let close = -1
  let depth = 0
  walkCode(source.slice(start), (c, i) => {
    if (c === '{' && depth++ === 0) open = start + i
    if (c === '}' && depth > 0 && --depth === 0) {
      close = start + i
      return true
    }
  })
  if (open < 0 || close < 0) throw new Error(`No closed \`${name} { … }\` block`)
  return source.slice(open + 1, close)
}

// ---- What each page says, read from its configuration -------------------------------------------------

interface Context {
  webhook: string
  apiKeyId: string
  apiKeySecret: string
  cwd: string
}

/** The three credentials as environment variables, as a step gets them from its system's secret store. */
const credentials = ({ webhook, apiKeyId, apiKeySecret }: Context): Record<string, string> => ({
  CRASHTEST_WEBHOOK: webhook,
  VERACODE_API_KEY_ID: apiKeyId,
  VERACODE_API_KEY_SECRET: apiKeySecret
})

interface Flow {
  what: string
  /** The script, with the install line already skipped (see asInstalledScript). */
  script: string
  shell: 'bash' | 'sh'
  env?: (context: Context) => Record<string, string>
  expectedExitCode: number
  check?: (run: CliRun) => void
}

interface Page {
  /** Every shell script the configuration runs, as the shell gets it, for `bash -n`. */
  scripts: string[]
  /** The script of the step that scans. */
  scanScript: string
  /** Globs, relative to the step's working directory, of the files the page's test import reads. */
  reportGlobs: string[]
  /** Globs of the files the page keeps as artifacts, where the system has them. */
  artifactGlobs?: string[]
  /** The step's environment as the system builds it, secret included, beyond what every run gets. */
  env: (context: Context) => Record<string, string>
  /** Output the page says the command gives in that system. */
  promised?: RegExp[]
  afterRun?: (run: CliRun, context: Context) => void
  /** Longer runs: the page's whole script or step sequence. */
  flows?: Flow[]
}

const NODE_IMAGE = /^(?:node|cimg\/node):(?:22|24)(?:[.-][\w.-]*)?$/
// The CI system's own variables of the step's environment, beyond the secret.
const GITLAB_ENV = { CI: 'true', GITLAB_CI: 'true' }

function circleci(markdown: string): Page {
  const config = mapping(parseYaml(onlyBlock(markdown, 'yaml')), 'config')
  expect(config.version).toBe(2.1)
  const jobs = mapping(config.jobs, 'jobs')
  const [name, job] = Object.entries(jobs).find(([, j]) => JSON.stringify(j).includes('crashtest-dast')) ?? []
  const steps = list(mapping(job, `jobs.${name}`).steps, `jobs.${name}.steps`).map((s, i) =>
    mapping(s, `step ${i}`)
  )
  const image = text(mapping(list(mapping(job, 'job').docker, 'docker')[0], 'docker[0]').image, 'image')
  expect(image).toMatch(NODE_IMAGE)
  const runs = steps
    .filter(s => 'run' in s)
    .map(s => (typeof s.run === 'string' ? s.run : text(mapping(s.run, 'run').command, 'run.command')))
  const scanIndex = steps.findIndex(s => JSON.stringify(s).includes('crashtest-dast'))
  const later = steps.slice(scanIndex + 1)
  const testResults = later.find(s => 'store_test_results' in s)
  const artifacts = later.find(s => 'store_artifacts' in s)
  expect(testResults).toBeDefined()
  expect(artifacts).toBeDefined()
  const folder = text(mapping(testResults?.store_test_results, 'store_test_results').path, 'path')
  const kept = text(mapping(artifacts?.store_artifacts, 'store_artifacts').path, 'path')
  // The workflow runs the job.
  const workflows = Object.values(mapping(config.workflows, 'workflows'))
  expect(workflows.some(w => JSON.stringify(mapping(w, 'workflow').jobs).includes(String(name)))).toBe(true)
  return {
    scripts: runs,
    scanScript: runs.find(r => r.includes('crashtest-dast')) as string,
    reportGlobs: folder.endsWith('.xml') ? [folder] : [`${folder}/**/*.xml`],
    artifactGlobs: kept.endsWith('.xml') ? [kept] : [`${kept}/**`],
    env: context => ({ CI: 'true', CIRCLECI: 'true', ...credentials(context) })
  }
}

const GITLAB_KEYWORDS = new Set([
  'stages',
  'variables',
  'default',
  'include',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script'
])

function gitlab(markdown: string): Page {
  const config = mapping(parseYaml(onlyBlock(markdown, 'yaml')), 'config')
  const [name, rawJob] =
    Object.entries(config).find(
      ([key, j]) => !GITLAB_KEYWORDS.has(key) && JSON.stringify(j).includes('crashtest-dast')
    ) ?? []
  const job = mapping(rawJob, `job ${name}`)
  expect(text(job.image, 'image')).toMatch(NODE_IMAGE)
  if (job.stage !== undefined) expect(list(config.stages, 'stages')).toContain(job.stage)
  const script = [
    ...strings(job.before_script ?? [], 'before_script'),
    ...strings(job.script, 'script')
  ].join('\n')
  const artifacts = mapping(job.artifacts, 'artifacts')
  expect(artifacts.when).toBe('always')
  const reports = mapping(artifacts.reports, 'artifacts.reports')
  const junit = strings(reports.junit, 'reports.junit')
  const dast = strings(reports.dast, 'reports.dast')
  const command = scanCommands(script)[0] ?? ''
  // The DAST report is the file --gitlab-report writes; both reports are also kept as plain artifacts.
  expect(dast).toContain(flag(command, 'gitlab-report'))
  expect(strings(artifacts.paths, 'artifacts.paths')).toEqual(expect.arrayContaining([...junit, ...dast]))
  return {
    scripts: [script],
    scanScript: script,
    reportGlobs: junit,
    artifactGlobs: strings(artifacts.paths, 'artifacts.paths'),
    env: context => ({ ...GITLAB_ENV, CI_PROJECT_DIR: context.cwd, ...credentials(context) }),
    promised: [/section_start:\d+:/],
    afterRun: (_run, { cwd }) => {
      for (const file of dast) {
        const report = JSON.parse(readFileSync(join(cwd, file), 'utf8')) as unknown
        expect(gitlabReportProblems(report)).toEqual([])
      }
    }
  }
}

function jenkins(markdown: string): Page {
  const jenkinsfile = onlyBlock(markdown, 'groovy')
  expect(bracketProblems(jenkinsfile)).toEqual([])
  const pipeline = block(jenkinsfile, 'pipeline')
  expect(block(block(pipeline, 'agent'), 'docker')).toMatch(/image\s+'([^']+)'/)
  expect((/image\s+'([^']+)'/.exec(block(pipeline, 'agent')) as RegExpExecArray)[1]).toMatch(NODE_IMAGE)
  // The secrets: Secret text credentials bound to the three variables around the step that scans.
  const bindings = /withCredentials\(\[([^\]]*)\]\)/.exec(pipeline)?.[1] ?? ''
  const variables = [...bindings.matchAll(/string\(credentialsId:\s*'[^']+',\s*variable:\s*'(\w+)'\)/g)]
  expect(variables.map(m => m[1]).sort()).toEqual(CREDENTIAL_NAMES)
  const bound = block(pipeline, 'withCredentials')
  // Only single-quoted sh scripts: Groovy would put the secret into a double-quoted one itself.
  expect(pipeline).not.toMatch(/\bsh\s*\(?\s*"/)
  const scripts = [...pipeline.matchAll(/\bsh\s*\(?\s*(?:'''([\s\S]*?)'''|'([^'\n]*)')/g)].map(
    m => m[1] ?? m[2] ?? ''
  )
  const scanScript = scripts.find(s => SCAN.test(s)) as string
  expect(bound).toContain(scanScript)
  // The report step: `junit` in `post { always { … } }`, after the stages.
  const always = block(block(pipeline, 'post'), 'always')
  const junit = /\bjunit\s+(?:testResults:\s*)?'([^']+)'/.exec(always)
  expect(junit).not.toBeNull()
  const archived = /\barchiveArtifacts\s+artifacts:\s*'([^']+)'/.exec(always)?.[1] ?? ''
  return {
    scripts,
    scanScript,
    reportGlobs: (junit?.[1] ?? '').split(',').map(g => g.trim()),
    artifactGlobs: archived.split(',').map(g => g.trim()),
    env: context => ({
      JENKINS_URL: 'http://jenkins.invalid/',
      WORKSPACE: context.cwd,
      ...credentials(context)
    })
  }
}

/** TeamCity's service message attributes, unescaped. */
function serviceMessages(stdout: string, name: string): Record<string, string>[] {
  const unescape = (value: string): string =>
    value.replace(/\|(0x[0-9a-fA-F]{4}|.)/g, (_, c: string) =>
      c.startsWith('0x')
        ? String.fromCharCode(parseInt(c.slice(2), 16))
        : (({ n: '\n', r: '\r' } as Record<string, string>)[c] ?? c)
    )
  return stdout
    .split('\n')
    .filter(line => line.startsWith(`##teamcity[${name} `))
    .map(line =>
      Object.fromEntries(
        [...line.matchAll(/(\w+)='((?:\|.|[^'|])*)'/g)].map(m => [m[1] as string, unescape(m[2] ?? '')])
      )
    )
}

/** The file of the run's one `importData` message: TeamCity reads it by the absolute path it names. */
function importedReport(run: CliRun): string {
  const imports = serviceMessages(run.stdout, 'importData')
  expect(imports.map(m => m.type)).toEqual(['junit'])
  const path = imports[0]?.path ?? ''
  expect(isAbsolute(path)).toBe(true)
  return readFileSync(path, 'utf8')
}

function teamcity(markdown: string): Page {
  const dsl = onlyBlock(markdown, 'kotlin')
  expect(bracketProblems(dsl)).toEqual([])
  const buildType = block(dsl, 'BuildType')
  const passwords = [
    ...block(buildType, 'params').matchAll(/\bpassword\(\s*"env\.(\w+)"\s*,\s*"credentialsJSON:[^"]+"/g)
  ]
  expect(passwords.map(m => m[1]).sort()).toEqual(CREDENTIAL_NAMES)
  const artifactRules = /artifactRules\s*=\s*"([^"]+)"/.exec(buildType)?.[1] ?? ''
  const step = block(block(buildType, 'steps'), 'script')
  expect((/dockerImage\s*=\s*"([^"]+)"/.exec(step) as RegExpExecArray)[1]).toMatch(NODE_IMAGE)
  const content = /scriptContent\s*=\s*"""([\s\S]*?)"""\s*\.trimIndent\(\)/.exec(step)
  expect(content).not.toBeNull()
  const raw = content?.[1] ?? ''
  // A Kotlin raw string expands `$name` and `${…}`; the script must hold neither.
  expect(raw).not.toMatch(/\$(?!\{'\$'\})/)
  // TeamCity replaces %name% references before the script runs; this one has none.
  expect(raw).not.toMatch(/%[\w.]+%/)
  const script = trimIndent(raw)
  const env = (context: Context): Record<string, string> => ({
    TEAMCITY_VERSION: '2025.11 (build 000000)',
    ...credentials(context)
  })
  return {
    scripts: [script],
    scanScript: script,
    reportGlobs: [junitPathOf(scanCommands(script)[0] ?? '')],
    artifactGlobs: artifactRules.split(/[\n,]/).map(rule => rule.trim()),
    env,
    promised: [
      /^##teamcity\[buildProblem /m,
      /^##teamcity\[buildStatisticValue /m,
      /^##teamcity\[importData /m,
      /^##teamcity\[blockOpened /m
    ],
    // The report step is the importData message: TeamCity reads the judged report it names.
    afterRun: run => expect(importedReport(run)).toContain('<failure'),
    flows: [
      {
        what: 'with --fail-on never the build passes and the imported report has no failed test',
        script: asInstalledScript(script),
        shell: 'bash',
        env: context => ({ ...env(context), CRASHTEST_FAIL_ON: 'never' }),
        expectedExitCode: 0,
        check: run => {
          const imported = importedReport(run)
          expect(imported).toContain('<testcase')
          expect(imported).not.toContain('<failure')
        }
      }
    ]
  }
}

/** Azure's macro syntax `$(name)`, replaced before a step runs; unknown names stay as they are. */
function azureMacros(value: string, variables: Record<string, string>): string {
  return value.replace(/\$\(([A-Za-z_][\w.]*)\)/g, (whole, name: string) => variables[name] ?? whole)
}

function azure(markdown: string): Page {
  const config = mapping(parseYaml(onlyBlock(markdown, 'yaml')), 'config')
  const steps = list(config.steps, 'steps').map((s, i) => mapping(s, `steps[${i}]`))
  const useNode = steps.find(s => s.task === 'UseNode@1')
  expect(text(mapping(useNode?.inputs, 'UseNode inputs').version, 'version')).toMatch(/^(?:22|24)\.x$/)
  const scanIndex = steps.findIndex(s => typeof s.script === 'string' && SCAN.test(s.script))
  expect(scanIndex).toBeGreaterThan(steps.indexOf(useNode as Mapping))
  const scan = steps[scanIndex] as Mapping
  const stepEnv = Object.fromEntries(
    Object.entries(mapping(scan.env, 'env')).map(([k, v]) => [k, text(v, `env.${k}`)])
  )
  // The secrets reach the script only through the step's env: mapping, each from a secret variable.
  expect(Object.keys(stepEnv).sort()).toEqual(CREDENTIAL_NAMES)
  for (const name of CREDENTIAL_NAMES) expect(stepEnv[name]).toMatch(/^\$\([\w.]+\)$/)
  const publishIndex = steps.findIndex(s => s.task === 'PublishTestResults@2')
  expect(publishIndex).toBeGreaterThan(scanIndex)
  const publish = steps[publishIndex] as Mapping
  expect(publish.condition).toBe('succeededOrFailed()')
  const inputs = mapping(publish.inputs, 'PublishTestResults inputs')
  expect(inputs.testResultsFormat).toBe('JUnit')
  expect(inputs.searchFolder ?? '$(System.DefaultWorkingDirectory)').toBe('$(System.DefaultWorkingDirectory)')
  expect(scan.workingDirectory ?? '$(System.DefaultWorkingDirectory)').toBe(
    '$(System.DefaultWorkingDirectory)'
  )
  // The service's report kept as a pipeline artifact, after a failed scan too.
  const publishArtifact = steps.slice(scanIndex + 1).find(s => typeof s.publish === 'string')
  expect(publishArtifact?.condition).toBe('succeededOrFailed()')
  // The pipeline's own variables: the secret variables named in the mapping, and the working folder.
  const variableOf = (name: string): string =>
    (/^\$\(([\w.]+)\)$/.exec(stepEnv[name] ?? '') as RegExpExecArray)[1] as string
  const variables = (context: Context): Record<string, string> => ({
    'System.DefaultWorkingDirectory': context.cwd,
    ...Object.fromEntries(
      Object.entries(credentials(context)).map(([name, value]) => [variableOf(name), value])
    )
  })
  const scripts = steps.filter(s => typeof s.script === 'string').map(s => s.script as string)
  return {
    scripts: scripts.map(s =>
      azureMacros(s, variables({ webhook: 'w', apiKeyId: 'i', apiKeySecret: 'k', cwd: '/w' }))
    ),
    scanScript: scan.script as string,
    reportGlobs: text(inputs.testResultsFiles, 'testResultsFiles')
      .split('\n')
      .map(g => g.trim())
      .filter(g => g !== ''),
    artifactGlobs: [text(publishArtifact?.publish, 'publish')],
    env: context => ({
      TF_BUILD: 'True',
      ...Object.fromEntries(Object.entries(stepEnv).map(([k, v]) => [k, azureMacros(v, variables(context))]))
    }),
    promised: [/^##vso\[task\.logissue /m]
  }
}

// Where Bitbucket looks for test reports (support.atlassian.com, "Test reporting in Pipelines"), at
// most 3 folders deep below the clone directory.
const BITBUCKET_REPORT_GLOBS = [
  '**/surefire-reports/**/*.xml',
  '**/failsafe-reports/**/*.xml',
  '**/test-results/**/*.xml',
  '**/test-reports/**/*.xml',
  '**/TestResults/**/*.xml'
]

function bitbucket(markdown: string): Page {
  const config = mapping(parseYaml(onlyBlock(markdown, 'yaml')), 'config')
  expect(text(config.image, 'image')).toMatch(NODE_IMAGE)
  const steps = list(mapping(config.pipelines, 'pipelines').default, 'pipelines.default').map((s, i) =>
    mapping(mapping(s, `default[${i}]`).step, `default[${i}].step`)
  )
  const scripts = steps.map((s, i) => strings(s.script, `step ${i} script`).join('\n'))
  const scanScript = scripts.find(s => SCAN.test(s)) as string
  const command = scanCommands(scanScript)[0] ?? ''
  expect(junitPathOf(command).split('/').length - 1).toBeLessThanOrEqual(3)
  // The service's report stays where Bitbucket does not look for test reports, kept as an artifact.
  expect(BITBUCKET_REPORT_GLOBS.filter(glob => minimatch(reportPathOf(command), glob))).toEqual([])
  const scanStep = steps.find(step => JSON.stringify(step).includes('crashtest-dast scan')) as Mapping
  return {
    scripts,
    scanScript,
    reportGlobs: BITBUCKET_REPORT_GLOBS,
    artifactGlobs: strings(scanStep.artifacts, 'artifacts'),
    env: context => ({ CI: 'true', BITBUCKET_CLONE_DIR: context.cwd, ...credentials(context) })
  }
}

/** Cloud Build's own `$$`, which the step gets as `$`; the page uses no other substitution in a script. */
const cloudBuildEscapes = (value: string): string => value.replaceAll('$$', '$')

function cloudBuild(markdown: string): Page {
  const config = mapping(parseYaml(onlyBlock(markdown, 'yaml')), 'config')
  const steps = list(config.steps, 'steps').map((s, i) => mapping(s, `steps[${i}]`))
  const bashScript = (step: Mapping): string => {
    expect(step.entrypoint).toBe('bash')
    const args = strings(step.args, 'args')
    expect(args[0]).toBe('-c')
    return cloudBuildEscapes(args[1] ?? '')
  }
  const scripts = steps.map(bashScript)
  const scanIndex = scripts.findIndex(s => SCAN.test(s))
  const scan = steps[scanIndex] as Mapping
  expect(text(scan.name, 'name')).toMatch(NODE_IMAGE)
  // The secret: a Secret Manager version, named in availableSecrets, given to the scan step only.
  const secrets = list(
    mapping(config.availableSecrets, 'availableSecrets').secretManager,
    'secretManager'
  ).map(s => mapping(s, 'secret'))
  for (const name of CREDENTIAL_NAMES) {
    const secret = secrets.find(s => s.env === name)
    expect(text(secret?.versionName, 'versionName')).toMatch(
      /^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/
    )
  }
  expect(strings(scan.secretEnv, 'secretEnv').sort()).toEqual(CREDENTIAL_NAMES)
  // A later step copies the reports to a bucket; the last one exits with the scan's exit code.
  const keep = scripts.slice(scanIndex + 1).find(s => /gcloud storage cp /.test(s)) ?? ''
  const copyWords = shellWords(simpleCommand(keep, keep.indexOf('gcloud storage cp ')))
  expect(copyWords.at(-1)).toMatch(/^gs:\/\//)
  const copied = copyWords.slice(3, -1)
  const verdict = scripts.at(-1) as string
  expect(steps.at(-1)?.name).toMatch(NODE_IMAGE)
  for (const substitution of keep.matchAll(/\$\{?(_[A-Z0-9_]+)/g)) {
    expect(Object.keys(mapping(config.substitutions, 'substitutions'))).toContain(substitution[1])
  }
  const scanScript = scripts[scanIndex] as string
  const exitCodeFile = (
    />\s*(\S+)/.exec(scanScript.split('\n').find(line => /\$\?/.test(line)) ?? '') as RegExpExecArray
  )[1] as string
  return {
    scripts,
    scanScript,
    reportGlobs: copied,
    artifactGlobs: copied,
    env: credentials,
    flows: [
      {
        what: 'the scan step records the exit code and passes, so that the report is copied first',
        script: asInstalledScript(scanScript),
        shell: 'bash',
        env: credentials,
        expectedExitCode: 0,
        check: run => expect(readFileSync(join(run.cwd, exitCodeFile), 'utf8').trim()).toBe('1')
      },
      {
        what: 'the verdict step fails the build with that code',
        script: verdict,
        shell: 'bash',
        expectedExitCode: 1
      }
    ]
  }
}

/** `${bamboo.name}` references, replaced by Bamboo in task fields. */
function bambooVariables(value: string, variables: Record<string, string>): string {
  return value.replace(/\$\{bamboo\.([\w.]+)\}/g, (whole, name: string) => variables[name] ?? whole)
}

/** A Bamboo `environment` field: `NAME=value` pairs separated by spaces, values possibly quoted. */
function bambooEnvironment(field: string): Record<string, string> {
  return Object.fromEntries(
    shellWords(field).map(pair => {
      const eq = pair.indexOf('=')
      return [pair.slice(0, eq), pair.slice(eq + 1)]
    })
  )
}

function bamboo(markdown: string): Page {
  const config = mapping(parseYaml(onlyBlock(markdown, 'yaml')), 'config')
  expect(config.version).toBe(2)
  const planVariables = mapping(config.variables, 'variables')
  const jobName = list(config.stages, 'stages')
    .flatMap(stage => Object.values(mapping(stage, 'stage')))
    .flatMap(s => (Array.isArray(s) ? s : strings(mapping(s, 'stage').jobs, 'jobs')))
    .find(
      name => typeof name === 'string' && JSON.stringify(config[name]).includes('crashtest-dast')
    ) as string
  const job = mapping(config[jobName], `job ${jobName}`)
  expect(text(mapping(job.docker, 'docker').image, 'docker.image')).toMatch(NODE_IMAGE)
  const task = list(job.tasks, 'tasks')
    .map(t => mapping(t, 'task'))
    .find(t => JSON.stringify(t.script ?? '').includes('crashtest-dast'))
  const script = mapping(task?.script, 'script task')
  const scanScript = strings(script.scripts, 'scripts').join('\n')
  // The secrets: secret plan variables (their names say so), encrypted, handed over as the three variables.
  const environment = bambooEnvironment(text(script.environment, 'environment'))
  expect(Object.keys(environment).sort()).toEqual(CREDENTIAL_NAMES)
  const secretNames = Object.fromEntries(
    CREDENTIAL_NAMES.map(name => {
      const secretName = /^\$\{bamboo\.([\w.]+)\}$/.exec(environment[name] ?? '')?.[1] as string
      expect(secretName).toMatch(/password|passphrase|secret|sshkey/)
      expect(text(planVariables[secretName], `variables.${secretName}`)).toMatch(/^BAMSCRT@/)
      return [name, secretName]
    })
  )
  const artifacts = list(job.artifacts, 'artifacts').map(a => text(mapping(a, 'artifact').pattern, 'pattern'))
  // The report step: a JUnit parser among the final tasks, which run after a failed task too.
  const parser = list(job['final-tasks'], 'final-tasks')
    .map(t => mapping(t, 'final task'))
    .map(t => t['test-parser'])
    .find(p => p !== undefined)
  const parserConfig = mapping(parser, 'test-parser')
  expect(parserConfig.type).toBe('junit')
  return {
    scripts: [scanScript],
    scanScript,
    reportGlobs: strings(parserConfig['test-results'] ?? '**/test-reports/*.xml', 'test-results'),
    artifactGlobs: artifacts,
    env: context => {
      const values = {
        ...Object.fromEntries(Object.entries(planVariables).map(([k, v]) => [k, String(v)])),
        ...Object.fromEntries(
          Object.entries(credentials(context)).map(([name, value]) => [secretNames[name] as string, value])
        )
      }
      return {
        // Bamboo also exports every variable to script tasks as bamboo_<name, dots as underscores>.
        ...Object.fromEntries(
          Object.entries(values).map(([k, v]) => [`bamboo_${k.replaceAll('.', '_')}`, v])
        ),
        ...Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, bambooVariables(v, values)]))
      }
    }
  }
}

function travis(markdown: string): Page {
  const config = mapping(parseYaml(onlyBlock(markdown, 'yaml')), 'config')
  expect(config.language).toBe('node_js')
  expect(strings(config.node_js, 'node_js').map(String)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^(?:22|24)$/)])
  )
  const global = list(mapping(config.env, 'env').global, 'env.global')
  // One encrypted entry per secret, each naming its variable.
  const secure = global.filter(entry => typeof entry === 'object' && entry !== null && 'secure' in entry)
  for (const name of CREDENTIAL_NAMES) expect(JSON.stringify(secure)).toContain(`${name}=`)
  const install = strings(config.install, 'install').join('\n')
  const script = strings(config.script, 'script').join('\n')
  const paths = strings(
    mapping(mapping(config.addons, 'addons').artifacts, 'addons.artifacts').paths,
    'artifacts.paths'
  )
  return {
    scripts: [install, script],
    scanScript: script,
    reportGlobs: paths,
    artifactGlobs: paths,
    // Travis decrypts each secure entry into the variable it names.
    env: context => ({ CI: 'true', TRAVIS: 'true', ...credentials(context) })
  }
}

function heroku(markdown: string): Page {
  const scripts = blocksOf(markdown, 'sh')
  expect(scripts).toHaveLength(2)
  const [hook, gate] = scripts as [string, string]
  // The deploy hook: the add-on pointed at the legacy webhook URL, which needs no request signing.
  const hookWords = shellWords(hook.replace(/\\\n\s*/g, ' '))
  expect(hookWords.slice(0, 3)).toEqual(['heroku', 'addons:create', 'deployhooks:http'])
  expect(hookWords.find(w => w.startsWith('--url='))).toMatch(
    /^--url=https:\/\/api\.crashtest\.cloud\/webhook\//
  )
  // The gate: set -e, the scan, then the promotion.
  const lines = gate.split('\n').map(l => l.trim())
  expect(lines[0]).toBe('set -eu')
  const scanLine = lines.findIndex(l => SCAN.test(l))
  const promoteLine = lines.findIndex(l => l.startsWith('heroku pipelines:promote'))
  expect(scanLine).toBeGreaterThan(0)
  expect(promoteLine).toBeGreaterThan(scanLine)
  const env = (context: Context): Record<string, string> => ({
    ...credentials(context),
    HEROKU_API_KEY: 'not-used'
  })
  return {
    scripts,
    scanScript: gate,
    reportGlobs: [junitPathOf(scanCommands(gate)[0] ?? '')],
    env,
    flows: [
      {
        what: 'the gate stops before `heroku pipelines:promote` when the scan fails',
        script: asInstalledScript(gate),
        shell: 'sh',
        env: context => ({ ...env(context), HEROKU_STUB_LOG: join(context.cwd, 'heroku-was-run') }),
        expectedExitCode: 1,
        check: run => expect(existsSync(join(run.cwd, 'heroku-was-run'))).toBe(false)
      },
      {
        what: 'the gate promotes when the scan passes (here: --fail-on never from the environment)',
        script: asInstalledScript(gate),
        shell: 'sh',
        env: context => ({
          ...env(context),
          CRASHTEST_FAIL_ON: 'never',
          HEROKU_STUB_LOG: join(context.cwd, 'heroku-was-run')
        }),
        expectedExitCode: 0,
        check: run => expect(existsSync(join(run.cwd, 'heroku-was-run'))).toBe(true)
      }
    ]
  }
}

function shell(markdown: string): Page {
  const script = onlyBlock(markdown, 'sh')
  expect(script.startsWith('#!/bin/sh\n')).toBe(true)
  expect(script).toMatch(/^set -eu$/m)
  // Every documented exit code gets its own message.
  const cases = /case "\$status" in([\s\S]*?)esac/.exec(script)?.[1] ?? ''
  for (const code of ['0', '1', '2', '3', '4', '*']) expect(cases).toContain(`  ${code})`)
  expect(script.trimEnd().endsWith('exit "$status"')).toBe(true)
  return {
    scripts: [script],
    scanScript: script,
    reportGlobs: [junitPathOf(scanCommands(script)[0] ?? '')],
    env: credentials,
    flows: [
      {
        what: 'the whole script exits 1 and says where the report is',
        script: asInstalledScript(script),
        shell: 'sh',
        env: credentials,
        expectedExitCode: 1,
        check: run => expect(run.stderr).toContain('see crashtest-junit.xml')
      },
      {
        what: 'the script stops before the scan when CRASHTEST_WEBHOOK is missing',
        script: asInstalledScript(script),
        shell: 'sh',
        env: () => ({}),
        expectedExitCode: 2,
        check: run => expect(run.stderr).toContain('set CRASHTEST_WEBHOOK')
      }
    ]
  }
}

/** A whole script as run here: its install line a no-op, the packed command being installed already. */
function asInstalledScript(script: string): string {
  expect(script).toContain(INSTALL_LINE)
  return script.replaceAll(INSTALL_LINE, ':')
}

const PAGES: Record<string, (markdown: string) => Page> = {
  'azure-pipelines.md': azure,
  'bamboo.md': bamboo,
  'bitbucket-pipelines.md': bitbucket,
  'circleci.md': circleci,
  'gitlab.md': gitlab,
  'google-cloud-build.md': cloudBuild,
  'heroku.md': heroku,
  'jenkins.md': jenkins,
  'shell.md': shell,
  'teamcity.md': teamcity,
  'travis.md': travis
}

const pageOf = (name: string): Page => (PAGES[name] as (markdown: string) => Page)(read(name))

// ---- The checks ---------------------------------------------------------------------------------------

describe('docs/ci', () => {
  it('has a checked page for every system, and the index links each one', () => {
    expect(PAGE_NAMES).toEqual(Object.keys(PAGES).sort())
    const index = read('README.md')
    for (const name of PAGE_NAMES) expect(index).toContain(`](${name})`)
    // The exit-code table lists 0 to 4.
    for (const code of ['0', '1', '2', '3', '4']) expect(index).toMatch(new RegExp(`^\\| ${code} +\\|`, 'm'))
  })
})

describe.each(PAGE_NAMES)('docs/ci/%s', name => {
  it('has a configuration that parses, with the structure that matters in that system', () => {
    const page = pageOf(name)
    const commands = scanCommands(page.scanScript)
    expect(commands).toHaveLength(1)
    const command = commands[0] as string
    // This version installed from the npm registry before the scan, and the command run directly (not
    // through npx, which would keep the system's stop signal from it).
    const all = page.scripts.join('\n')
    expect(all).toContain(INSTALL_LINE)
    expect(all.indexOf(INSTALL_LINE)).toBeLessThan(all.search(SCAN))
    expect(all).not.toMatch(/\bnpx\b|\bnpm exec\b/)
    expect(command).toMatch(/^crashtest-dast scan(?: |$)/)
    // The secrets only ever in the environment.
    expect(shellWords(command).filter(word => /^--(?:webhook|veracode-api)/.test(word))).toEqual([])
    // The judged report lands where the page's test import reads it; the service's report is kept.
    expect(page.reportGlobs.filter(glob => minimatch(junitPathOf(command), glob))).not.toEqual([])
    if (page.artifactGlobs) {
      expect(page.artifactGlobs.filter(glob => minimatch(reportPathOf(command), glob))).not.toEqual([])
    }
    // The page says what goes in the webhook, where the credentials come from and how to update the pin.
    const markdown = read(name)
    for (const link of ['exit-codes', 'installation', 'credentials']) {
      expect(markdown).toContain(`(README.md#${link})`)
    }
    expect(markdown).toContain('**target UUID**')
    expect(markdown).toContain(`exactly \`crashtest-dast@${PACKAGE_VERSION}\``)
  })

  it('has shell scripts that pass bash -n (and sh -n for the POSIX ones)', () => {
    const page = pageOf(name)
    const problems = page.scripts.map(script => shellSyntaxProblem(script)).filter(p => p !== '')
    for (const flow of page.flows ?? []) {
      if (flow.shell === 'sh') problems.push(shellSyntaxProblem(flow.script, 'sh'))
    }
    expect(problems.filter(p => p !== '')).toEqual([])
  })
})

// ---- Running the command lines ------------------------------------------------------------------------

let simulator: Simulator
// The minimal PATH of the harness with the installed command's folder in front, as after
// `npm install --global crashtest-dast`, and a `heroku` that only notes it was run.
let stubs: string
const ciPath = (): string =>
  [
    dirname(installedPackage().bin),
    stubs,
    dirname(nodeBinaryPath(24)),
    ...(process.env.PATH ?? '')
      .split(delimiter)
      .filter(entry => entry !== '' && !entry.split(sep).includes('node_modules'))
  ].join(delimiter)

// The Veracode credentials the simulator accepts: every request must be signed with them.
const API_KEY_ID = randomBytes(16).toString('hex')
const API_KEY_SECRET = randomBytes(64).toString('hex')

beforeAll(async () => {
  simulator = await startSimulator({ veracodeCredentials: { [API_KEY_ID]: API_KEY_SECRET } })
  stubs = mkdtempSync(join(tmpdir(), 'ci-docs-stubs-'))
  writeFileSync(join(stubs, 'heroku'), '#!/bin/sh\n: > "${HEROKU_STUB_LOG:-/dev/null}"\n')
  chmodSync(join(stubs, 'heroku'), 0o755)
})

afterAll(async () => {
  await simulator?.close()
  if (stubs) rmSync(stubs, { recursive: true, force: true })
})

const HIGH_FINDING = {
  scanner: 'xss',
  title: 'Cross-Site Scripting (XSS)',
  severity: 'high',
  message: "Reflected XSS in parameter 'q' of https://app.example.test/search"
}

/** A target with one high finding, under a webhook secret of its own. */
function newTarget(page: string): string {
  const webhook = `ci-docs-${page.replace(/\.md$/, '')}-${randomBytes(8).toString('hex')}`
  simulator.addTarget(webhook, { findings: [HIGH_FINDING], passedChecks: 2 })
  return webhook
}

/** Every file below `dir`, relative, with / separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
}

async function runIn(
  shellName: 'bash' | 'sh',
  script: string,
  env: Record<string, string>,
  cwd: string
): Promise<CliRun> {
  return runInCliEnvironment(shellName === 'bash' ? '/bin/bash' : '/bin/sh', {
    args: ['-c', script],
    cwd,
    env: {
      ...env,
      CRASHTEST_API_URL: simulator.veracodeUrl,
      CRASHTEST_POLL_INTERVAL: '1',
      PATH: ciPath(),
      // A script that reached the registry would hang on this machine's blocked network.
      npm_config_offline: 'true'
    },
    timeoutMs: 60_000
  })
}

describe.each(PAGE_NAMES)('docs/ci/%s, run', name => {
  it('fails the build on a high finding and leaves the JUnit report where the page reads it', async () => {
    const page = pageOf(name)
    const command = scanCommands(page.scanScript)[0] as string
    const webhook = newTarget(name)
    const cwd = mkdtempSync(join(tmpdir(), 'ci-docs-run-'))
    try {
      const context = { webhook, apiKeyId: API_KEY_ID, apiKeySecret: API_KEY_SECRET, cwd }
      const before = simulator.requests.length
      const run = await runIn('bash', command, page.env(context), cwd)
      const output = `${run.stdout}\n${run.stderr}`
      expect({ exitCode: run.exitCode, timedOut: run.timedOut }).toEqual({ exitCode: 1, timedOut: false })
      for (const secret of [webhook, API_KEY_ID, API_KEY_SECRET]) expect(output).not.toContain(secret)
      // Every request was signed with the credentials the page hands over: not the legacy API.
      const requests = simulator.requests.slice(before)
      expect(requests.length).toBeGreaterThan(2)
      expect(requests.map(request => request.signature)).toEqual(
        requests.map(() => ({ verified: true, apiId: API_KEY_ID }))
      )
      expect(output).not.toContain('legacy Crashtest API')
      // The judged report, where the test import reads it, fails the test of the high finding.
      const reports = filesUnder(cwd).filter(file => page.reportGlobs.some(glob => minimatch(file, glob)))
      expect(reports).toContain(junitPathOf(command))
      expect(readFileSync(join(cwd, junitPathOf(command)), 'utf8')).toContain('<failure')
      expect(existsSync(join(cwd, reportPathOf(command)))).toBe(true)
      for (const promise of page.promised ?? []) expect(output).toMatch(promise)
      page.afterRun?.(run, context)
    } finally {
      rmSync(cwd, { recursive: true, force: true })
    }
  }, 90_000)

  // A page that does not parse fails in the tests above and in the one here, not while collecting.
  let hasFlows = true
  try {
    hasFlows = (pageOf(name).flows ?? []).length > 0
  } catch {
    // keep true
  }
  if (hasFlows) {
    it('runs as the page says, from start to end', async () => {
      const page = pageOf(name)
      const webhook = newTarget(name)
      const cwd = mkdtempSync(join(tmpdir(), 'ci-docs-flow-'))
      try {
        for (const flow of page.flows ?? []) {
          const env = flow.env?.({ webhook, apiKeyId: API_KEY_ID, apiKeySecret: API_KEY_SECRET, cwd }) ?? {}
          const run = await runIn(flow.shell, flow.script, env, cwd)
          expect({ what: flow.what, exitCode: run.exitCode }).toEqual({
            what: flow.what,
            exitCode: flow.expectedExitCode
          })
          const output = `${run.stdout}\n${run.stderr}`
          for (const secret of [webhook, API_KEY_ID, API_KEY_SECRET]) expect(output).not.toContain(secret)
          flow.check?.(run)
        }
      } finally {
        rmSync(cwd, { recursive: true, force: true })
      }
    }, 120_000)
  }
})
