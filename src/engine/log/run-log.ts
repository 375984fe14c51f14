/**
 * How the engine tells what happens. Each front end implements it: the action with the runner's log,
 * groups and masks; the command with its own redaction, since no runner masks anything for it.
 */
export interface RunLog {
  /** One line of what is going on. */
  info(message: string): void
  /**
   * A line about the scan's progress while it runs (one a poll). A terminal may redraw it in place;
   * everywhere else it is an ordinary line.
   */
  progress(message: string): void
  /** Something the user should look at; the run goes on. `title` names it where titles are shown. */
  warning(message: string, title?: string): void
  /** Runs `work` as one named section of the log: a collapsible group where the CI system has them. */
  section<T>(name: string, work: () => Promise<T>): Promise<T>
  /** A value that must never be shown again: hidden from everything printed after this call. */
  secret(value: string): void
  /**
   * An option, optionally set to a value, as the front end's user writes it: `'if-running: wait'` for
   * the action's input, `--if-running wait` for the command's flag. Every message names options so.
   */
  option(name: string, value?: string): string
}
