/** A failure that ends the run with result `error`; its message says what happened and what to do. */
export class ScanError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ScanError'
  }
}
