import { isAbsolute, resolve } from 'node:path'
import type { InputFields } from './input-fields.js'
import type { PublishingSettings } from './settings.js'

/**
 * `sarif-path`, `pr-comment`, `github-token` and `pr-comment-key`: where the findings are published
 * besides the job summary. The token is a credential: it is never quoted in a message.
 */
export function parsePublishing(
  fields: InputFields,
  workspace: string,
  reportPath: string
): PublishingSettings {
  const sarifInput = fields.text('sarif-path')
  const sarifPath = sarifInput
    ? isAbsolute(sarifInput)
      ? sarifInput
      : resolve(workspace, sarifInput)
    : undefined
  if (sarifPath !== undefined && sarifPath === reportPath) {
    fields.problem(`'sarif-path' must name another file than 'report-path' (both are '${sarifInput}')`)
  }
  const prComment = fields.bool('pr-comment', false)
  const githubToken = fields.text('github-token')
  if (prComment && githubToken === '') {
    fields.problem(
      `'github-token' is required when 'pr-comment' is true: a token that may write to pull requests, such as \${{ github.token }}`
    )
  }
  return { sarifPath, prComment, githubToken, prCommentKey: fields.text('pr-comment-key') }
}
