// Every option is defined once, in src/engine/settings/options.ts: action.yml's inputs and the command's
// --help follow from it, and so do the defaults both front ends apply.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { ACTION_YML, inputInMarkdown, renderActionYml } from '../scripts/action-yml.js'
import { OUTPUTS } from '../src/engine/run/outputs.js'
import { describedFor, OPTIONS, optionsOf, option } from '../src/engine/settings/options.js'
import { commandOption } from '../src/cli/arguments.js'
import { renderHelp } from '../src/cli/help.js'

interface ActionYml {
  inputs: Record<string, { description: string; required: boolean; default?: string }>
  outputs: Record<string, { description: string }>
}

const committed = readFileSync(ACTION_YML, 'utf8')
const actionYml = parseYaml(committed) as ActionYml

describe('action.yml', () => {
  it('is exactly what the option definitions render (run `npm run package` after changing them)', async () => {
    expect(committed).toBe(await renderActionYml())
  })

  it('has every option meant for the action as an input, with its description, default and requirement', () => {
    const expected = Object.fromEntries(
      optionsOf('action').map(o => [
        o.name,
        {
          description: describedFor(o.description, inputInMarkdown),
          required: o.required ?? false,
          ...(o.default !== undefined && { default: o.default })
        }
      ])
    )
    expect(actionYml.inputs).toEqual(expected)
    expect(Object.keys(actionYml.inputs)).not.toContain('gitlab-report')
  })

  it('has every output the action sets', () => {
    const names = OUTPUTS.filter(o => o.only !== 'command').map(o => o.name)
    expect(Object.keys(actionYml.outputs)).toEqual(names)
  })
})

// That the installed command prints this text is checked in __tests__/cli/command.e2e.test.ts.
describe('the command’s --help', () => {
  const help = renderHelp('0.0.0-test')

  it('starts with the usage line', () => {
    expect(help).toContain('Usage: crashtest-dast scan [options]')
  })

  it.each(optionsOf('command').map(o => [o.name, o] as const))(
    'lists --%s with its environment variable, accepted values and default',
    (name, definition) => {
      const entry = help.split(/\n(?= {2}--)/).find(block => block.startsWith(`  --${name}`))
      expect(entry).toBeDefined()
      const text = (entry ?? '').replace(/\s+/g, ' ')
      expect(text).toContain(`CRASHTEST_${name.replace(/-/g, '_').toUpperCase()}`)
      if (definition.boolean) expect(text).toContain(`--no-${name}`)
      if (definition.values && !definition.boolean)
        expect(text).toContain(`one of ${definition.values.join(', ')}`)
      // A default with spaces at its ends is quoted, so that they show (`token-prefix`'s "Bearer ").
      const shown =
        definition.default?.trim() === definition.default
          ? definition.default
          : JSON.stringify(definition.default)
      if (definition.default !== undefined) expect(text).toContain(`default: ${shown}`)
      // The first words of the description, as the definition words them.
      const opening = describedFor(definition.description, commandOption).split(/\s+/).slice(0, 5).join(' ')
      expect(text).toContain(opening)
    }
  )

  it('lists the options by group, then the command’s own flags, examples and exit codes', () => {
    const headings = help.split('\n').filter(line => /^[A-Z].*:$/.test(line))
    expect(headings).toEqual([
      'Target and credentials:',
      'Waiting for the scan:',
      'Rules: what fails the build:',
      'Outputs:',
      'Scan configuration: how the scanner logs in and what it reads:',
      'The command:',
      'Examples:',
      'Exit codes:'
    ])
    const section = (heading: string) => help.split(`\n${heading}\n`)[1]?.split(/\n\n/)[0] ?? ''
    expect(section('Target and credentials:')).toContain('  --webhook ')
    expect(section('Rules: what fails the build:')).toContain('  --fail-on ')
    expect(section('Scan configuration: how the scanner logs in and what it reads:')).toContain(
      '  --api-spec '
    )
    expect(section('The command:')).toContain('  -h, --help')
    expect(section('Examples:')).toContain('crashtest-dast scan --scan-id ')
    expect(section('Exit codes:')).toContain('  4 timeout: ')
  })

  it('offers none of the GitHub-only inputs', () => {
    for (const definition of OPTIONS.filter(o => o.only === 'action')) {
      expect(help).not.toContain(`--${definition.name} `)
      expect(help).not.toContain(`--${definition.name}\n`)
    }
    expect(optionsOf('action').length + optionsOf('command').length).toBeGreaterThan(OPTIONS.length)
  })
})

describe('the definitions', () => {
  it('name every option once', () => {
    const names = OPTIONS.map(o => o.name)
    expect(new Set(names).size).toBe(names.length)
    expect(() => option('no-such-option')).toThrow("No option is defined with the name 'no-such-option'")
  })

  it('give every fixed-choice option a default among its values, and booleans true or false', () => {
    for (const definition of OPTIONS) {
      if (definition.boolean) expect(['true', 'false']).toContain(definition.default)
      else if (definition.values && definition.default !== undefined) {
        expect(definition.values).toContain(definition.default)
      }
    }
  })
})
