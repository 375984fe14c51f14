import { describe, expect, it } from '@jest/globals'
import { CommandLog, type CommandLogOptions } from '../../../src/cli/command-log.js'
import { Redactor } from '../../../src/cli/redact.js'

const ESC = String.fromCharCode(27)

function logTo(options: Partial<CommandLogOptions> = {}) {
  let written = ''
  const redactor = new Redactor()
  const log = new CommandLog({
    stream: { write: (text: string) => (written += text) },
    ci: 'other',
    terminal: false,
    colour: false,
    redactor,
    ...options
  })
  return { log, redactor, written: () => written }
}

describe('the command log', () => {
  it('writes plain lines, one per poll, when it is not a terminal', async () => {
    const { log, written } = logTo()
    await log.section('Wait', async () => {
      log.progress('Status 100 (queued), waited 0s.')
      log.progress('Status 101 (running), waited 30s.')
    })
    log.warning('the suppression expired', 'Crashtest: suppression expired')
    expect(written()).toBe(
      '== Wait\nStatus 100 (queued), waited 0s.\nStatus 101 (running), waited 30s.\n' +
        'warning: Crashtest: suppression expired: the suppression expired\n'
    )
  })

  it('keeps one live status line on a terminal, and leaves the last status as a line when the section ends', async () => {
    const { log, written } = logTo({ terminal: true })
    await log.section('Wait', async () => {
      log.progress('Status 100 (queued), waited 0s.')
      log.progress('Status 101 (running), waited 30s.')
    })
    const text = written()
    expect(text).toContain(`\r${ESC}[2K… Status 100 (queued), waited 0s. (`)
    expect(text).toContain(`\r${ESC}[2K… Status 101 (running), waited 30s. (`)
    expect(text.endsWith(`\r${ESC}[2KStatus 101 (running), waited 30s.\n`)).toBe(true)
    expect(text).not.toContain('Status 100 (queued), waited 0s.\n')
  })

  it('colours only when asked (a terminal without NO_COLOR)', () => {
    const coloured = logTo({ terminal: true, colour: true })
    coloured.log.error('boom')
    expect(coloured.written()).toBe(`${ESC}[31merror: boom${ESC}[0m\n`)
    const plain = logTo({ terminal: true, colour: false })
    plain.log.error('boom')
    expect(plain.written()).toBe('error: boom\n')
  })

  it('hides every secret and makes every line inert', () => {
    const { log, redactor, written } = logTo()
    redactor.add('s3cr3t-value')
    log.info(
      `answer: bad webhook s3cr3t-value\n::error::injected\n##vso[task.setvariable variable=x]1 ${ESC}[2J`
    )
    expect(written()).toBe(
      'answer: bad webhook ***\n: :error::injected\n# #vso[task.setvariable variable=x]1  [2J\n'
    )
  })

  it('opens GitLab sections and Azure groups around a section', async () => {
    const gitlab = logTo({ ci: 'gitlab' })
    await gitlab.log.section('Report', async () => gitlab.log.info('done'))
    expect(gitlab.written()).toMatch(
      new RegExp(
        `^${ESC}\\[0Ksection_start:\\d+:crashtest_1_report\\[collapsed=true\\]\\r${ESC}\\[0KReport\\ndone\\n${ESC}\\[0Ksection_end:\\d+:crashtest_1_report\\r${ESC}\\[0K\\n$`
      )
    )
    const azure = logTo({ ci: 'azure' })
    await azure.log.section('Report', async () => azure.log.info('done'))
    expect(azure.written()).toBe('##[group]Report\ndone\n##[endgroup]\n')
  })
})
