import { describe, expect, it } from '@jest/globals'
import { parseActionSettings } from '../../src/action/action-inputs.js'
import { InputFields } from '../../src/engine/settings/input-fields.js'
import { InputError, parseSettings } from '../../src/engine/settings/parse-inputs.js'
import { oneTarget, type OneTarget } from './one-target.js'
import {
  COMMENT_FINDING_ROWS,
  renderComment as renderRunComment,
  renderSummary as renderRun,
  type CommentContext
} from '../../src/action/summary.js'
import { judge, type PolicySettings } from '../../src/engine/policy/gate.js'
import type { Finding } from '../../src/engine/report/findings.js'

/** The summary of a step with one target. */
const renderSummary = (outcome: OneTarget, policy: PolicySettings): string =>
  renderRun(oneTarget(outcome), policy)
const renderComment = (outcome: OneTarget, policy: PolicySettings, context?: CommentContext): string =>
  renderRunComment(oneTarget(outcome), policy, context)

const WORKSPACE = '/home/runner/work/app/app'
const TOKEN = 'ghp_unitT0kenNeverQuoted'

/** Where the findings are published: the SARIF file (both front ends) and the pull-request comment. */
const parse = (inputs: Record<string, string>) => {
  const fields = new InputFields(name => ({ webhook: 'wh-unit', ...inputs })[name] ?? '')
  const settings = parseSettings(fields, WORKSPACE)
  const { prComment, githubToken, prCommentKey } = parseActionSettings(fields, settings)
  fields.check()
  return { sarifPath: settings.sarifPath, prComment, githubToken, prCommentKey }
}

const problems = (inputs: Record<string, string>): string => {
  try {
    parse(inputs)
  } catch (error) {
    if (error instanceof InputError) return error.message
    throw error
  }
  throw new Error('expected an InputError')
}

describe('the publishing inputs', () => {
  it('default to no SARIF file and no comment', () => {
    expect(parse({})).toEqual({ sarifPath: undefined, prComment: false, githubToken: '', prCommentKey: '' })
  })

  it('resolve sarif-path in the workspace, keep an absolute one, and read the comment inputs', () => {
    expect(parse({ 'sarif-path': 'out/scan.sarif' }).sarifPath).toBe(`${WORKSPACE}/out/scan.sarif`)
    expect(parse({ 'sarif-path': '/tmp/scan.sarif' }).sarifPath).toBe('/tmp/scan.sarif')
    expect(parse({ 'pr-comment': 'true', 'github-token': TOKEN, 'pr-comment-key': 'eu' })).toMatchObject({
      prComment: true,
      githubToken: TOKEN,
      prCommentKey: 'eu'
    })
  })

  it('refuse a SARIF file that would overwrite the report', () => {
    expect(problems({ 'sarif-path': './crashtest-report.xml' })).toContain(
      `'sarif-path' must name another file than 'report-path'`
    )
    expect(problems({ 'sarif-path': 'r.xml', 'report-path': `${WORKSPACE}/r.xml` })).toContain(`'sarif-path'`)
  })

  it('need a token for the comment, and never quote the token', () => {
    expect(problems({ 'pr-comment': 'true', 'github-token': '' })).toContain(
      `'github-token' is required when 'pr-comment' is true`
    )
    const message = problems({
      'pr-comment': 'yes',
      'github-token': TOKEN,
      'sarif-path': 'crashtest-report.xml'
    })
    expect(message).toContain(`'pr-comment' must be true or false, got 'yes'`)
    expect(message).toContain(`'sarif-path'`)
    expect(message).not.toContain(TOKEN)
  })
})

describe('the comment', () => {
  const finding = (n: number): Finding => ({
    scanner: 'xss',
    title: `XSS ${String(n).padStart(2, '0')}`,
    severity: n % 2 ? 'high' : 'low',
    reportedType: '',
    message: `Reflected | <b>${n}</b> at https://a.example.test/${n}`,
    fingerprint: `f${String(n).padStart(15, '0')}`
  })
  const policy = { failOn: 'high' as const, maxFindings: {} }
  const findings = Array.from({ length: 14 }, (_, n) => finding(n))
  const outcome: OneTarget = {
    result: 'failed',
    scanId: '42',
    report: {
      testcases: 20,
      findings,
      scannerErrors: [{ scanner: 's', title: 't', message: 'm' }],
      skippedChecks: []
    },
    verdict: judge({ findings, policy })
  }
  const rows = (markdown: string) => markdown.split('\n').filter(line => / \| xss \| /.test(line))

  it('renders the top findings exactly as the job summary does', () => {
    const comment = renderComment(outcome, policy, {
      runUrl: 'https://github.com/o/r/actions/runs/1',
      origin: 'CI / scan'
    })
    const summary = renderSummary(outcome, policy)
    expect(rows(comment)).toHaveLength(COMMENT_FINDING_ROWS)
    expect(rows(comment)).toEqual(rows(summary).slice(0, COMMENT_FINDING_ROWS))
    expect(rows(summary)).toHaveLength(14)
    expect(comment).toContain(
      '4 more findings are not shown here; the job summary of the [workflow run](https://github.com/o/r/actions/runs/1) and the report artifact have all of them.'
    )
    expect(comment).toContain(
      '<sub>Crashtest DAST scan · CI / scan · [workflow run](https://github.com/o/r/actions/runs/1). Later runs update this comment.</sub>'
    )
    expect(comment).not.toContain('<b>')
    // Scanner notes stay in the job summary.
    expect(summary).toContain('Scanner errors')
    expect(comment).not.toContain('Scanner errors')
  })

  it('keeps the verdict and counts of the job summary', () => {
    const comment = renderComment(outcome, policy)
    const summary = renderSummary(outcome, policy)
    const head = (markdown: string) => markdown.slice(0, markdown.indexOf('### Findings'))
    expect(head(comment)).toBe(head(summary))
    expect(comment).toContain('<sub>Crashtest DAST scan. Later runs update this comment.</sub>')
  })
})
