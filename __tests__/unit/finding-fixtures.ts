// Findings as the report parser gives them, for the tests of the files made from a report.
import type { Finding, Severity } from '../../src/engine/report/findings.js'
import { fingerprint, locate } from '../../src/engine/report/fingerprint.js'

/** A finding as the parser gives it: its fingerprint and the URL and parameter of its message. */
export function identified(finding: Omit<Finding, 'fingerprint'> & { fingerprint?: string }): Finding {
  return { fingerprint: fingerprint(finding), ...locate(finding.message), ...finding }
}

/** An XSS finding of that severity at a page of app.example.test, with `overrides`. */
export const finding = (severity: Severity, overrides: Partial<Finding> = {}): Finding =>
  identified({
    scanner: 'xss',
    title: `Finding ${severity}`,
    severity,
    reportedType: severity,
    message: `https://app.example.test/page parameter q (${severity})`,
    ...overrides
  })
