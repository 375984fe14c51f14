import * as core from '@actions/core'
import { errorClause } from '../engine/api/errors.js'
import type { PolicySettings } from '../engine/policy/gate.js'
import type { ActionSettings } from './action-inputs.js'
import type { ActionOutcome } from './artifact.js'
import { PULL_REQUEST_EVENTS, repositoryApi, runUrl } from './github.js'
import { renderComment } from './summary.js'

type Env = Record<string, string | undefined>

export type CommentResult = 'created' | 'updated' | 'skipped' | 'failed'

/**
 * The hidden first line that marks a comment as this scan's: the workflow, the job and the step
 * (`GITHUB_ACTION`, unique within a job), and `pr-comment-key` for the legs of a matrix, which share all
 * three. Stable between runs, so a later run finds its own comment and leaves the other scans' comments
 * alone; encoded, so that no name can end the HTML comment.
 */
function commentMarker(env: Env, key: string): string {
  const parts = [env.GITHUB_WORKFLOW ?? '', env.GITHUB_JOB ?? '', env.GITHUB_ACTION ?? '']
  return `<!-- crashtest-dast-action:${encodeURIComponent((key ? [...parts, key] : parts).join('/'))} -->`
}

/**
 * Posts the verdict as one comment on the pull request, or updates the comment an earlier run posted.
 * Never throws: a comment that cannot be written (a fork's read-only token, missing permissions, an
 * outage) is one warning, and the verdict stays what it is.
 */
export async function commentOnPullRequest(
  settings: Pick<ActionSettings, 'githubToken' | 'prCommentKey'>,
  outcome: ActionOutcome,
  policy: PolicySettings,
  env: Env = process.env
): Promise<CommentResult> {
  let where = 'the pull request'
  try {
    const { context, octokit, owner, repo } = await repositoryApi(settings.githubToken, env)
    const number: unknown = context.payload.pull_request?.number
    if (!PULL_REQUEST_EVENTS.has(context.eventName) || typeof number !== 'number') {
      core.info(
        `No pull-request comment: the run was triggered by '${context.eventName}', not a pull request.`
      )
      return 'skipped'
    }
    where = `pull request #${number}`
    const marker = commentMarker(env, settings.prCommentKey)
    const origin = [env.GITHUB_WORKFLOW, env.GITHUB_JOB, settings.prCommentKey].filter(Boolean).join(' / ')
    const body = `${marker}\n${renderComment(outcome, policy, { runUrl: runUrl(env), origin })}`

    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: number,
      per_page: 100
    })
    const earlier = comments.find(comment => comment.body?.startsWith(marker))
    if (earlier) {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: earlier.id, body })
      core.info(`Updated the comment on ${where}: ${data.html_url}`)
      return 'updated'
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body })
    core.info(`Commented on ${where}: ${data.html_url}`)
    return 'created'
  } catch (error) {
    const status = (error as { status?: unknown }).status
    const consequence = 'The verdict does not depend on the comment.'
    if (status === 403 || status === 404) {
      core.warning(
        `Could not comment on ${where}: the token may not write to it (HTTP ${status}). Pull requests from forks ` +
          `get a read-only token; otherwise grant the job \`permissions: pull-requests: write\`. ${consequence}`
      )
    } else {
      core.warning(`Could not comment on ${where}: ${errorClause(error)}. ${consequence}`)
    }
    return 'failed'
  }
}
