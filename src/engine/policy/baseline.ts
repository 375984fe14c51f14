import type { Finding } from '../report/findings.js'

/** The findings of an earlier report of the same target. */
export interface Baseline {
  /** The file as the `baseline` input names it. */
  file: string
  findings: Finding[]
}

export interface BaselineComparison {
  /** Findings whose fingerprint the baseline does not have: the only ones judged by the rules. */
  new: Finding[]
  /** Findings whose fingerprint the baseline has too. */
  stillPresent: Finding[]
  /** Baseline findings whose fingerprint this scan no longer reports (one per fingerprint). */
  fixed: Finding[]
}

/** Compares findings with a baseline by fingerprint. Pure. */
export function compareWithBaseline(findings: readonly Finding[], baseline: Baseline): BaselineComparison {
  const before = new Set(baseline.findings.map(f => f.fingerprint))
  const now = new Set(findings.map(f => f.fingerprint))
  const fixed = new Map<string, Finding>()
  for (const finding of baseline.findings) {
    if (!now.has(finding.fingerprint) && !fixed.has(finding.fingerprint))
      fixed.set(finding.fingerprint, finding)
  }
  return {
    new: findings.filter(f => !before.has(f.fingerprint)),
    stillPresent: findings.filter(f => before.has(f.fingerprint)),
    fixed: [...fixed.values()]
  }
}
