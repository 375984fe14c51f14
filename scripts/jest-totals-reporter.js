// Ends the test output with one plain line, `tests: N passed, N failed`, that CI systems read as the
// verdict of the run whatever the test runner.
export default class TotalsReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed`
    process.stdout.write(`${line}${skipped > 0 ? `, ${skipped} skipped` : ''}\n`)
  }
}
