// `issues: true`: one GitHub issue per finding that breaks the rules, opened, reopened and closed as later
// scans find it or not (the plan: src/action/issue-plan.ts). Never changes the verdict: a failure of the
// issues API is a warning.
import * as core from '@actions/core'
import { setTimeout as sleep } from 'node:timers/promises'
import { errorClause } from '../engine/api/errors.js'
import type { RunOutcome } from '../engine/run/outcome.js'
import type { ActionSettings } from './action-inputs.js'
import { PULL_REQUEST_EVENTS, repositoryApi, runUrl } from './github.js'
import {
  planIssues,
  trackedBy,
  type IssueChange,
  type TargetIssues,
  type TrackedIssue
} from './issue-plan.js'

export interface IssueLink {
  number: number
  url: string
  title: string
}

export interface IssueResults {
  opened: IssueLink[]
  reopened: IssueLink[]
  closed: IssueLink[]
  /** Findings over `issue-limit` that have no issue yet. */
  withoutIssue: number
}

type Env = Record<string, string | undefined>

/** The longest the action waits out GitHub's rate limits, in all. */
const MAX_RATE_LIMIT_WAIT_MS = 5 * 60_000

/** A write the token may not make: said once, then no more writes are tried. */
class NotPermitted extends Error {}

export async function syncIssues(
  run: RunOutcome,
  settings: ActionSettings,
  env: Env = process.env
): Promise<IssueResults | undefined> {
  const { context, octokit, owner, repo } = await repositoryApi(settings.githubToken, env)
  if (PULL_REQUEST_EVENTS.has(context.eventName)) {
    core.info('No issues are written for a pull request: its findings are in the comment and the summary.')
    return undefined
  }
  const deadline = Date.now() + MAX_RATE_LIMIT_WAIT_MS
  const call = <T>(request: () => Promise<T>): Promise<T> => patiently(request, deadline)
  const [label = 'dast'] = settings.issues.labels
  const results: IssueResults = { opened: [], reopened: [], closed: [], withoutIssue: 0 }
  try {
    // The issues endpoint, not search: its index lags (duplicates would be opened) and it allows 30 calls a minute.
    const listed = await call(() =>
      octokit.paginate(octokit.rest.issues.listForRepo, {
        owner,
        repo,
        labels: label,
        state: 'all',
        per_page: 100
      })
    )
    const targets = run.targets.map(targetIssues)
    const breaking = new Set(targets.flatMap(t => t.breaking.map(f => `${t.name}\n${f.fingerprint}`)))
    const existing: TrackedIssue[] = []
    for (const issue of listed) {
      const tracked = trackedBy(issue.body)
      if (!tracked || issue.pull_request) continue
      let closedByAction = false
      // Whether the action closed it matters only for a finding that is back: only then is it asked.
      if (issue.state === 'closed' && breaking.has(`${tracked.target}\n${tracked.fingerprint}`)) {
        const { data } = await call(() =>
          octokit.rest.issues.get({ owner, repo, issue_number: issue.number })
        )
        closedByAction = data.closed_by?.login !== undefined && data.closed_by.login === data.user?.login
      }
      existing.push({
        number: issue.number,
        state: issue.state === 'open' ? 'open' : 'closed',
        closedByAction,
        ...tracked
      })
    }
    const plan = planIssues(targets, existing, {
      runUrl: runUrl(env),
      limit: settings.issues.limit,
      several: run.targets.length > 1
    })
    results.withoutIssue = plan.withoutIssue
    await ensureLabels(plan.changes, settings.issues.labels, name =>
      call(() => octokit.rest.issues.createLabel({ owner, repo, name, color: 'b60205' }))
    )
    for (const change of plan.changes) {
      try {
        await apply(change)
      } catch (error) {
        if (isForbidden(error)) throw new NotPermitted()
        core.warning(
          `Could not update the issues: ${errorClause(error)}. The verdict does not depend on them.`
        )
      }
    }
  } catch (error) {
    const missingPermission = error instanceof NotPermitted || isForbidden(error)
    core.warning(
      missingPermission
        ? 'Could not write issues: the token may not (HTTP 403). Grant the job `permissions: issues: write`. The verdict does not depend on them.'
        : `Could not update the issues: ${errorClause(error)}. The verdict does not depend on them.`
    )
  }
  return results

  async function apply(change: IssueChange): Promise<void> {
    if (change.kind === 'open') {
      const labels = [...settings.issues.labels, `severity:${change.severity}`]
      const { data } = await call(() =>
        octokit.rest.issues.create({ owner, repo, title: change.title, body: change.body, labels })
      )
      results.opened.push({ number: data.number, url: data.html_url, title: data.title })
      return
    }
    const { number } = change.issue
    await call(() =>
      octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: change.comment })
    )
    const { data } = await call(() =>
      change.kind === 'reopen'
        ? octokit.rest.issues.update({ owner, repo, issue_number: number, state: 'open' })
        : octokit.rest.issues.update({
            owner,
            repo,
            issue_number: number,
            state: 'closed',
            state_reason: change.reason
          })
    )
    const link = { number, url: data.html_url, title: data.title }
    if (change.kind === 'reopen') results.reopened.push(link)
    else results.closed.push(link)
  }
}

function targetIssues(target: RunOutcome['targets'][number]): TargetIssues {
  const verdict = target.verdict
  return {
    name: target.name,
    read: Boolean(target.report && verdict),
    complete: target.result === 'passed' || target.result === 'failed',
    scanId: target.scanId,
    breaking: verdict ? [...verdict.rulesBrokenBy.keys()] : [],
    reported: new Set((target.report?.findings ?? []).map(finding => finding.fingerprint)),
    suppressed: verdict?.suppressed ?? []
  }
}

/** The labels of the issues about to be opened, made when missing (422: it exists already). */
async function ensureLabels(
  changes: IssueChange[],
  labels: string[],
  create: (name: string) => Promise<unknown>
): Promise<void> {
  const severities = changes.flatMap(change =>
    change.kind === 'open' ? [`severity:${change.severity}`] : []
  )
  if (severities.length === 0) return
  for (const name of new Set([...labels, ...severities])) {
    await create(name).catch((error: unknown) => {
      if ((error as { status?: unknown }).status !== 422) throw error
    })
  }
}

function isForbidden(error: unknown): boolean {
  return (error as { status?: unknown }).status === 403 && rateLimitWait(error) === undefined
}

/** Waits out GitHub's secondary rate limits (403 or 429 with `Retry-After` or a reset time) until `deadline`. */
async function patiently<T>(request: () => Promise<T>, deadline: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request()
    } catch (error) {
      const wait = rateLimitWait(error)
      if (wait === undefined || attempt >= 5 || Date.now() + wait > deadline) throw error
      core.info(`GitHub's rate limit: waiting ${Math.ceil(wait / 1000)} s before the issues go on.`)
      await sleep(wait)
    }
  }
}

function rateLimitWait(error: unknown): number | undefined {
  const { status, response } = error as { status?: unknown; response?: { headers?: Record<string, string> } }
  if (status !== 403 && status !== 429) return undefined
  const headers = response?.headers ?? {}
  const retryAfter = headers['retry-after']
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000
  const reset = headers['x-ratelimit-reset']
  if (headers['x-ratelimit-remaining'] === '0' && reset !== undefined && /^\d+$/.test(reset)) {
    return Math.max(0, Number(reset) * 1000 - Date.now())
  }
  return status === 429 ? 60_000 : undefined
}
