import type { RunLog } from '../engine/log/run-log.js'
import { formatDuration } from '../engine/log/durations.js'
import { commandOption } from './arguments.js'
import * as azure from './ci/azure.js'
import type { CiSystem } from './ci/detect.js'
import * as gitlab from './ci/gitlab.js'
import * as teamcity from './ci/teamcity.js'
import { oneLine } from './ci/plain-text.js'
import type { Redactor } from './redact.js'

export interface LogStream {
  write(text: string): unknown
  isTTY?: boolean
}

export interface CommandLogOptions {
  stream: LogStream
  ci: CiSystem
  /** Colour and a live status line; only ever on a terminal. */
  terminal: boolean
  colour: boolean
  redactor: Redactor
  /**
   * Where TeamCity's block messages go: it reads service messages on stdout only. None with --json, when
   * stdout is the JSON object's alone: the log is then not folded.
   */
  serviceMessages?: LogStream
}

const CLEAR_LINE = '\r\u001b[2K'
const STYLES = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  green: '\u001b[32m'
}
const RESET = '\u001b[0m'
export type Style = keyof typeof STYLES

/** A line may be long (an error that lists every bad option), not endless. */
const MAX_LINE = 4000

/**
 * The command's log, on stderr. No runner masks anything here, so every line is redacted before it is
 * written, and each line is made inert (no control characters, no CI command markers), since messages
 * may quote what the service or the report said. On a terminal the scan's progress is one live line;
 * everywhere else (every CI log) each poll is a plain line, with no escape codes.
 */
export class CommandLog implements RunLog {
  private status?: string
  private ticker?: NodeJS.Timeout
  private readonly begun = Date.now()
  private sections = 0

  private sourceOf?: (name: string) => string

  constructor(private readonly options: CommandLogOptions) {}

  info(message: string): void {
    this.lines(message)
  }

  progress(message: string): void {
    if (!this.options.terminal) return this.lines(message)
    this.status = this.clean(message)
    this.ticker ??= setInterval(() => this.drawStatus(), 1000).unref()
    this.drawStatus()
  }

  warning(message: string, title?: string): void {
    this.lines(title ? `${title}: ${message}` : message, 'warning: ', 'yellow')
  }

  error(message: string): void {
    this.lines(message, 'error: ', 'red')
  }

  /** A line in a colour of its own on a terminal, such as the verdict. */
  styled(message: string, style: Style): void {
    this.lines(message, '', style)
  }

  async section<T>(name: string, work: () => Promise<T>): Promise<T> {
    const id = `crashtest_${++this.sections}_${name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`
    // The wait can last hours: its progress stays in sight, the other sections fold.
    if (this.options.ci === 'gitlab')
      this.raw(`${gitlab.sectionStart(id, name, new Date(), name !== 'Wait')}\n`)
    else if (this.options.ci === 'azure') this.raw(`${azure.group(name)}\n`)
    else if (this.options.ci === 'teamcity')
      this.options.serviceMessages?.write(`${teamcity.blockOpened(name)}\n`)
    else this.lines(`== ${name}`, '', 'bold')
    try {
      return await work()
    } finally {
      this.commitStatus()
      if (this.options.ci === 'gitlab') this.raw(`${gitlab.sectionEnd(id, new Date())}\n`)
      else if (this.options.ci === 'azure') this.raw(`${azure.endGroup()}\n`)
      else if (this.options.ci === 'teamcity')
        this.options.serviceMessages?.write(`${teamcity.blockClosed(name)}\n`)
    }
  }

  secret(value: string): void {
    this.options.redactor.add(value)
  }

  /** An option as the user gave it: the flag, or the variable its value was read from. */
  option(name: string, value?: string): string {
    return value === undefined && this.sourceOf ? this.sourceOf(name) : commandOption(name, value)
  }

  /** Names options by where their values came from, once the command line and environment are read. */
  nameOptionsBy(sourceOf: (name: string) => string): void {
    this.sourceOf = sourceOf
  }

  /** Leaves the live status line as an ordinary line and stops redrawing it. */
  close(): void {
    this.commitStatus()
  }

  private lines(message: string, prefix = '', style?: Style): void {
    this.commitStatus()
    const text = message
      .split(/\r?\n/)
      .map((line, index) => this.paint(`${index === 0 ? prefix : ''}${this.clean(line)}`, style))
      .join('\n')
    this.raw(`${text}\n`)
  }

  private clean(line: string): string {
    return oneLine(this.options.redactor.redact(line), MAX_LINE)
  }

  private paint(text: string, style?: Style): string {
    return style && this.options.colour ? `${STYLES[style]}${text}${RESET}` : text
  }

  private drawStatus(): void {
    if (this.status === undefined) return
    const elapsed = formatDuration(Date.now() - this.begun)
    this.raw(`${CLEAR_LINE}${this.paint(`… ${this.status} (${elapsed} in all)`, 'dim')}`)
  }

  private commitStatus(): void {
    if (this.ticker) clearInterval(this.ticker)
    this.ticker = undefined
    if (this.status === undefined) return
    this.raw(`${CLEAR_LINE}${this.status}\n`)
    this.status = undefined
  }

  private raw(text: string): void {
    this.options.stream.write(text)
  }
}
