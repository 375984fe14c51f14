import { describedFor, type OptionDefinition, type OptionGroup } from '../engine/settings/options.js'
import {
  COMMAND_FLAGS,
  COMMAND_OPTIONS,
  commandOption,
  ENVIRONMENT_ALIASES,
  environmentVariable
} from './arguments.js'
import { EXIT_CODES } from './exit-codes.js'

const WIDTH = 100

const GROUPS: ReadonlyArray<[OptionGroup, string]> = [
  ['target', 'Target and credentials'],
  ['waiting', 'Waiting for the scan'],
  ['rules', 'Rules: what fails the build'],
  ['outputs', 'Outputs'],
  ['scan configuration', 'Scan configuration: how the scanner logs in and what it reads']
]

const EXAMPLES = [
  '# Scan the target (CRASHTEST_WEBHOOK and the Veracode credentials come from CI secrets); exit 1 on a',
  '# high or critical finding.',
  'crashtest-dast scan',
  '# Fail on medium findings too; the CI system imports build/crashtest-junit.xml as test results.',
  'crashtest-dast scan --fail-on medium --junit-path build/crashtest-junit.xml',
  '# Only start the scan (its id is printed), and pick it up in a later job.',
  'crashtest-dast scan --no-wait',
  'crashtest-dast scan --scan-id 123456',
  '# The outputs as one JSON object on stdout.',
  'crashtest-dast scan --json > crashtest-outputs.json'
]

/** --help, rendered from the engine's option definitions, by group. */
export function renderHelp(version: string): string {
  const lines = [
    `crashtest-dast ${version}: run a Crashtest Security (Veracode DAST Essentials) scan and pass or fail`,
    'the build by its findings.',
    '',
    'Usage: crashtest-dast scan [options]',
    '       crashtest-dast help | version     (also -h, --help, -V, --version)',
    '',
    'Every option can also be given as the environment variable shown with it; a flag wins over the',
    'environment. Give secrets (the webhook, passwords, keys, header values) in the environment: a flag',
    'shows in the process list. A switch takes --name, --no-name, or --name=true|false.'
  ]
  for (const [group, heading] of GROUPS) {
    lines.push('', `${heading}:`)
    for (const option of COMMAND_OPTIONS.filter(o => o.group === group)) lines.push(...describeOption(option))
  }
  lines.push('', 'The command:')
  for (const [name, description] of Object.entries(COMMAND_FLAGS)) {
    const short = name === 'help' ? '-h, ' : name === 'version' ? '-V, ' : ''
    lines.push(`  ${short}--${name}`, ...wrap(description, '      '))
  }
  lines.push('', 'Examples:', ...EXAMPLES.map(line => `  ${line}`))
  lines.push('', 'Exit codes:')
  for (const [code, meaning] of Object.entries(EXIT_CODES))
    lines.push(...wrap(`${code}  ${meaning}`, '  ', '     '))
  return `${lines.join('\n')}\n`
}

function describeOption(option: OptionDefinition): string[] {
  const flag = option.boolean
    ? `  --${option.name}, --no-${option.name}`
    : `  --${option.name} ${option.placeholder ?? 'VALUE'}`
  const environment = [environmentVariable(option), ENVIRONMENT_ALIASES[option.name]]
    .filter(Boolean)
    .join(', ')
  const facts = [
    option.values && !option.boolean ? `one of ${option.values.join(', ')}` : '',
    option.repeatable ? 'may be given several times, or as lines of one value' : '',
    option.default === undefined ? '' : `default: ${shown(option.default)}`,
    `env: ${environment}`
  ].filter(Boolean)
  // The workspace is where the action runs; the command's counterpart is the current directory.
  const description = describedFor(option.description, commandOption).replace(
    /the workspace/g,
    'the current directory'
  )
  return [flag, ...wrap(`${description} (${facts.join('; ')})`, '      ')]
}

function wrap(text: string, indent: string, nextIndent = indent): string[] {
  const lines: string[] = []
  let line = indent
  for (const word of text.split(/\s+/)) {
    if (line.trim() !== '' && line.length + 1 + word.length > WIDTH) {
      lines.push(line)
      line = nextIndent
    }
    line += line.trim() === '' ? word : ` ${word}`
  }
  lines.push(line)
  return lines
}

/** Quoted only when spaces at its ends would not show otherwise (`token-prefix`'s "Bearer "). */
function shown(value: string): string {
  return /^\s|\s$/.test(value) ? JSON.stringify(value) : value
}
