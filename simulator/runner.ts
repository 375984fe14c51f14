// Runs the bundled action (dist/index.js) the way the GitHub runner runs a `node24` action: a separate Node
// process with the runner's environment (inputs as INPUT_<NAME>, defaults from action.yml, the file-command
// files, the default GITHUB_* variables) and nothing else from the parent's environment. Then it reads back
// what the runner would: outputs, step summary and the workflow commands printed on stdout.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

export interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  message: string
}

export interface ActionRun {
  exitCode: number | null
  signal: NodeJS.Signals | null
  /** true when the harness killed the action after `timeoutMs` */
  timedOut: boolean
  stdout: string
  stderr: string
  /** parsed from the GITHUB_OUTPUT file (and any deprecated `::set-output` commands, which the file overrides) */
  outputs: Record<string, string>
  /** contents of the GITHUB_STEP_SUMMARY file ('' if none) */
  summary: string
  /** workflow commands parsed from stdout, escaping undone */
  commands: WorkflowCommand[]
  /** the GITHUB_WORKSPACE used (left on disk for the test to inspect) */
  workspace: string
  durationMs: number
}

export interface RunActionOptions {
  /** action input names as in action.yml, e.g. 'poll-interval' */
  inputs: Record<string, string>
  /** extra env, e.g. ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL from the artifact fake; applied last */
  env?: Record<string, string>
  /** default: a fresh temp dir */
  workspace?: string
  /** kill (SIGKILL) after this, default 60 s */
  timeoutMs?: number
  /** lets a test send signals */
  onSpawn?: (child: ChildProcess) => void
  /** the event that triggered the run (GITHUB_EVENT_NAME and the payload at GITHUB_EVENT_PATH); default: a push */
  event?: { name: string; payload: Record<string, unknown> }
  /** what `${{ github.token }}` evaluates to in input defaults; default JOB_TOKEN */
  jobToken?: string
}

/** The job's token as the runner gives it to `${{ github.token }}`: a fake, distinctive so leak checks find it. */
export const JOB_TOKEN = 'ghs_e2eJobT0ken7c2f9a41d8b3e6051f4a7c9d2b8e'

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url))
const ACTION_ENTRY = join(REPO_ROOT, 'dist', 'index.js')
const ACTION_YML = join(REPO_ROOT, 'action.yml')

/** Commands the runner recognises; any other `::name::` line is printed as plain text. */
const RUNNER_COMMANDS = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning'
])

/** Variables the runner's process environment passes through; everything else of the parent is dropped. */
const PASSED_THROUGH = new Set(['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'LANG'])

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  if (!process.versions.node.startsWith('24.')) {
    throw new Error(
      `The e2e harness runs dist/index.js with the Node running the tests (${process.execPath}), but that is ` +
        `Node ${process.versions.node} and action.yml declares node24. Run the tests with \`npm test\`, ` +
        'which runs Jest on Node 24 (scripts/node24.mjs).'
    )
  }
  if (!existsSync(ACTION_ENTRY)) {
    throw new Error(`${ACTION_ENTRY} does not exist: bundle the action first (npm run package).`)
  }

  const base = mkdtempSync(join(tmpdir(), 'crashtest-e2e-'))
  const workspace = options.workspace ?? join(base, 'workspace')
  mkdirSync(workspace, { recursive: true })
  const runnerTemp = join(base, 'runner-temp')
  const fileCommands = join(runnerTemp, '_runner_file_commands')
  mkdirSync(fileCommands, { recursive: true })
  const file = (prefix: string) => {
    const path = join(fileCommands, `${prefix}_${randomUUID()}`)
    writeFileSync(path, '')
    return path
  }
  const files = {
    GITHUB_OUTPUT: file('set_output'),
    GITHUB_STEP_SUMMARY: file('step_summary'),
    GITHUB_ENV: file('set_env'),
    GITHUB_STATE: file('save_state'),
    GITHUB_PATH: file('add_path')
  }
  const sha = 'ffac537e6cbbf934b08745a378932722df287a53'
  const eventPath = join(runnerTemp, '_github_workflow', 'event.json')
  mkdirSync(join(runnerTemp, '_github_workflow'))
  writeFileSync(
    eventPath,
    JSON.stringify(
      options.event?.payload ?? {
        ref: 'refs/heads/main',
        before: '0000000000000000000000000000000000000000',
        after: sha,
        repository: { full_name: 'octo/app', name: 'app', owner: { login: 'octo' }, default_branch: 'main' },
        pusher: { name: 'octocat' },
        sender: { login: 'octocat' }
      }
    )
  )

  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && PASSED_THROUGH.has(key.toUpperCase())) env[key] = value
  }
  Object.assign(env, files, {
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_RUN_ID: '9876543210',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_REPOSITORY_OWNER: 'octo',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_EVENT_NAME: options.event?.name ?? 'push',
    GITHUB_SHA: sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_WORKFLOW_REF: 'octo/app/.github/workflows/ci.yml@refs/heads/main',
    GITHUB_ACTOR: 'octocat',
    GITHUB_JOB: 'scan',
    GITHUB_ACTION: 'crashtest',
    RUNNER_OS:
      ({ linux: 'Linux', darwin: 'macOS', win32: 'Windows' } as Record<string, string>)[process.platform] ??
      'Linux',
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
    RUNNER_NAME: 'GitHub Actions 1',
    RUNNER_ENVIRONMENT: 'github-hosted'
  })
  Object.assign(env, inputEnv(options.inputs, options.jobToken ?? JOB_TOKEN), options.env ?? {})

  const started = Date.now()
  const child = spawn(process.execPath, [ACTION_ENTRY], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  options.onSpawn?.(child)
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, options.timeoutMs ?? 60_000)

  try {
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
      (resolve, reject) => {
        child.once('error', reject)
        child.once('close', (code, sig) => resolve([code, sig]))
      }
    )
    const durationMs = Date.now() - started
    const out = Buffer.concat(stdout).toString('utf8')
    const commands = parseWorkflowCommands(out)
    const outputs: Record<string, string> = {}
    for (const command of commands) {
      if (command.command === 'set-output' && command.properties.name) {
        outputs[command.properties.name] = command.message
      }
    }
    Object.assign(outputs, readOutputsFile(files.GITHUB_OUTPUT))
    return {
      exitCode,
      signal,
      timedOut,
      stdout: out,
      stderr: Buffer.concat(stderr).toString('utf8'),
      outputs,
      summary: existsSync(files.GITHUB_STEP_SUMMARY) ? readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') : '',
      commands,
      workspace,
      durationMs
    }
  } finally {
    clearTimeout(timer)
    rmSync(options.workspace === undefined ? runnerTemp : base, { recursive: true, force: true })
  }
}

/**
 * INPUT_<NAME> for each given input, and for each input of action.yml that was not given, its default. As
 * on the runner, NAME is upper-cased with spaces turned into `_` and hyphens kept; an input given as ''
 * stays '' (the default applies only to inputs not given at all). Of the expressions a default may hold,
 * only `${{ github.token }}` is evaluated (to `jobToken`).
 */
function inputEnv(inputs: Record<string, string>, jobToken: string): Record<string, string> {
  const declared = actionInputs()
  const env: Record<string, string> = {}
  const name = (input: string) => `INPUT_${input.replace(/ /g, '_').toUpperCase()}`
  for (const [input, { default: value }] of Object.entries(declared)) {
    if (Object.hasOwn(inputs, input) || value === undefined) continue
    if (/^\$\{\{\s*github\.token\s*\}\}$/.test(value.trim())) {
      env[name(input)] = jobToken
      continue
    }
    if (value.includes('${{')) {
      throw new Error(
        `action.yml's default of input '${input}' is an expression (${value}) the harness cannot evaluate: ` +
          'give the input explicitly.'
      )
    }
    env[name(input)] = value
  }
  for (const [input, value] of Object.entries(inputs)) {
    // The runner only warns about unexpected inputs; in a test it is almost always a typo, so refuse it.
    if (!Object.hasOwn(declared, input)) {
      throw new Error(
        `Input '${input}' is not declared in action.yml (valid: ${Object.keys(declared).join(', ')})`
      )
    }
    env[name(input)] = value
  }
  return env
}

let cachedInputs: Record<string, { default?: string }> | undefined

function actionInputs(): Record<string, { default?: string }> {
  if (cachedInputs) return cachedInputs
  const manifest = parseYaml(readFileSync(ACTION_YML, 'utf8')) as { inputs?: Record<string, unknown> } | null
  const inputs: Record<string, { default?: string }> = {}
  for (const [input, spec] of Object.entries(manifest?.inputs ?? {})) {
    const value = (spec as { default?: unknown } | null)?.default
    // The runner reads every scalar as a string: `default: 30` and `default: '30'` are the same
    inputs[input] = value === undefined || value === null ? {} : { default: String(value) }
  }
  cachedInputs = inputs
  return inputs
}

/**
 * Reads a GITHUB_OUTPUT (or GITHUB_ENV) file as the runner does: `name=value` lines and `name<<DELIMITER`
 * heredocs (what @actions/core writes), later values replacing earlier ones. A missing file reads as {}.
 * Throws on what the runner refuses (empty name or delimiter, a delimiter that never comes).
 */
export function readOutputsFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {}
  const text = readFileSync(path, 'utf8')
  const outputs: Record<string, string> = {}
  let index = 0
  const readLine = (): { line: string; newline: string } | undefined => {
    if (index >= text.length) return undefined
    const end = text.indexOf('\n', index)
    if (end < 0) {
      const line = text.slice(index)
      index = text.length
      return { line, newline: '' }
    }
    const crlf = end > index && text[end - 1] === '\r'
    const line = text.slice(index, crlf ? end - 1 : end)
    index = end + 1
    return { line, newline: crlf ? '\r\n' : '\n' }
  }
  for (let next = readLine(); next; next = readLine()) {
    const { line } = next
    if (line === '') continue
    const equals = line.indexOf('=')
    const heredoc = line.indexOf('<<')
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const key = line.slice(0, equals)
      if (key === '') throw new Error(`Invalid format '${line}'. Name must not be empty`)
      outputs[key] = line.slice(equals + 1)
    } else if (heredoc >= 0) {
      const key = line.slice(0, heredoc)
      const delimiter = line.slice(heredoc + 2)
      if (key === '' || delimiter === '') {
        throw new Error(`Invalid format '${line}'. Name must not be empty and delimiter must not be empty`)
      }
      const start = index
      let end = index
      for (let value = readLine(); value?.line !== delimiter; value = readLine()) {
        if (!value) throw new Error(`Invalid value. Matching delimiter not found '${delimiter}'`)
        if (value.newline === '') throw new Error('Invalid value. EOF marker missing new line.')
        end = index - value.newline.length
      }
      outputs[key] = end > start ? text.slice(start, end) : ''
    } else {
      throw new Error(`Invalid format '${line}'`)
    }
  }
  return outputs
}

export interface StdoutLine {
  text: string
  command?: WorkflowCommand
}

/** Splits stdout into lines and parses each as the runner does (honouring `::stop-commands::`). */
export function scanStdout(stdout: string): StdoutLine[] {
  const lines = stdout.split('\n').map(line => (line.endsWith('\r') ? line.slice(0, -1) : line))
  if (lines.at(-1) === '') lines.pop()
  let stopToken: string | undefined
  return lines.map(text => {
    const trimmed = text.trimStart()
    if (stopToken !== undefined) {
      if (trimmed.trimEnd() === `::${stopToken}::`) stopToken = undefined
      return { text }
    }
    const command = parseCommandLine(trimmed)
    if (command?.command === 'stop-commands' && command.message !== '') stopToken = command.message
    return command ? { text, command } : { text }
  })
}

function parseCommandLine(line: string): WorkflowCommand | undefined {
  if (!line.startsWith('::')) return undefined
  const end = line.indexOf('::', 2)
  if (end < 0) return undefined
  const info = line.slice(2, end)
  const space = info.indexOf(' ')
  const command = space < 0 ? info : info.slice(0, space)
  if (!RUNNER_COMMANDS.has(command)) return undefined
  const properties: Record<string, string> = {}
  if (space >= 0) {
    for (const property of info
      .slice(space + 1)
      .trim()
      .split(',')) {
      const equals = property.indexOf('=')
      // the runner splits on the first '=' dropping empty parts: `key=` and `=value` set nothing
      if (equals <= 0 || equals === property.length - 1) continue
      properties[property.slice(0, equals)] = unescape(property.slice(equals + 1), PROPERTY_ESCAPES)
    }
  }
  return { command, properties, message: unescape(line.slice(end + 2), DATA_ESCAPES) }
}

const DATA_ESCAPES: Record<string, string> = { '%25': '%', '%0D': '\r', '%0A': '\n' }
const PROPERTY_ESCAPES: Record<string, string> = { ...DATA_ESCAPES, '%3A': ':', '%2C': ',' }

function unescape(text: string, escapes: Record<string, string>): string {
  return text.replace(/%(?:25|0D|0A|3A|2C)/g, match => escapes[match] ?? match)
}

/**
 * Workflow commands in stdout, `::name key=value,key=value::message`, as the runner parses them: one per
 * line (leading whitespace allowed), only the command names the runner knows, `%25 %0D %0A` undone in the
 * message and `%25 %0D %0A %3A %2C` in property values, nothing between `::stop-commands::TOKEN` and
 * `::TOKEN::`.
 */
export function parseWorkflowCommands(stdout: string): WorkflowCommand[] {
  return scanStdout(stdout).flatMap(line => (line.command ? [line.command] : []))
}
