// Jest side of the runner emulation in simulator/runner.ts: the assertions the end-to-end tests share.
import { expect } from '@jest/globals'
import { scanStdout, type ActionRun } from '../../simulator/runner.js'

export {
  JOB_TOKEN,
  parseWorkflowCommands,
  readOutputsFile,
  runAction,
  type ActionRun,
  type RunActionOptions,
  type WorkflowCommand
} from '../../simulator/runner.js'

/**
 * Asserts that no secret shows in the run's stdout, stderr, step summary or outputs, neither verbatim nor
 * URL- or JSON-encoded (forms the runner masks too). The one allowed place is the message of an
 * `::add-mask::` command line, which is how a value gets masked; any other stdout line, workflow commands
 * included (checked after unescaping), must be free of it.
 */
export function expectNoSecrets(run: ActionRun, secrets: string[]): void {
  const leaks: string[] = []
  secrets.forEach((secret, n) => {
    if (secret === '') throw new Error('expectNoSecrets: a secret must not be empty')
    const label = `<secret ${n}>`
    const forms = [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])]
    const leaked = (text: string) => forms.some(form => text.includes(form))
    const show = (text: string) => forms.reduce((shown, form) => shown.split(form).join(label), text)

    scanStdout(run.stdout).forEach(({ text, command }, line) => {
      if (command?.command === 'add-mask') return
      const parts = command ? [text, command.message, ...Object.values(command.properties)] : [text]
      if (parts.some(leaked)) leaks.push(`stdout line ${line + 1}: ${show(text)}`)
    })
    if (leaked(run.stderr)) leaks.push(`stderr: ${show(run.stderr)}`)
    if (leaked(run.summary)) leaks.push(`step summary: ${show(run.summary)}`)
    for (const [name, value] of Object.entries(run.outputs)) {
      if (leaked(name) || leaked(value)) leaks.push(`output ${name}: ${show(value)}`)
    }
  })
  expect(leaks).toEqual([])
}
