import type { Finding } from '../report/findings.js'

/** The findings of an earlier report of the same target. */
export interface Baseline {
  /** The file as the `baseline` input names it, or the report's name in the earlier run's artifact. */
  file: string
  findings: Finding[]
  /** The earlier workflow run the report came from (`baseline: auto`). */
  run?: { id: string; url: string }
}

export interface BaselineComparison {
  /** Findings whose fingerprint the baseline does not have: the only ones judged by the rules. */
  new: Finding[]
  /** Findings whose fingerprint the baseline has too. */
  stillPresent: Finding[]
  /** Baseline findings whose fingerprint this scan no longer reports (one per fingerprint). */
  fixed: Finding[]
  /** Which earlier report this was compared with. */
  since: Omit<Baseline, 'findings'>
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
  const since = baseline.run ? { file: baseline.file, run: baseline.run } : { file: baseline.file }
  return {
    new: findings.filter(f => !before.has(f.fingerprint)),
    stillPresent: findings.filter(f => before.has(f.fingerprint)),
    fixed: [...fixed.values()],
    since
  }
}

/**
 * What changed since the baseline, in one line: `2 new · 1 fixed · 3 unchanged since <the baseline>`,
 * the baseline named by `name` (by default as plain text: the earlier run with its address, or the file).
 */
export function describeChange(
  comparison: BaselineComparison,
  name: (since: BaselineComparison['since']) => string = plainName
): string {
  const { new: fresh, fixed, stillPresent, since } = comparison
  return `${fresh.length} new · ${fixed.length} fixed · ${stillPresent.length} unchanged since ${name(since)}`
}

function plainName(since: BaselineComparison['since']): string {
  return since.run ? `run ${since.run.id} (${since.run.url})` : since.file
}
