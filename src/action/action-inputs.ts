import * as core from '@actions/core'
import type { InputFields, InputReader } from '../engine/settings/input-fields.js'
import { option } from '../engine/settings/options.js'
import type { Settings } from '../engine/settings/settings.js'

// Characters the artifact service refuses in names (as @actions/artifact validates them).
const ARTIFACT_NAME_FORBIDDEN = /["*:<>?|\\/\r\n]/

export interface ArtifactSettings {
  upload: boolean
  /** Explicit name; when absent the name is `crashtest-report-<scan id>`. */
  name?: string
  retentionDays?: number
}

/** The inputs that mean something on GitHub only: artifact, job summary, annotations, PR comment. */
export interface ActionSettings {
  artifact: ArtifactSettings
  summary: boolean
  annotations: boolean
  /** Comment on the pull request (pull_request events only). */
  prComment: boolean
  /** Token for the pull-request comment: a credential, masked as soon as it is read. */
  githubToken: string
  /** Tells apart the comments of several scans in one pull request (for example a matrix value). */
  prCommentKey: string
  /** With `baseline: auto`: where the earlier run is looked for; empty for the defaults. */
  baselineRuns: { workflow: string; branch: string }
  /** `issues: true`: an issue per finding that breaks the rules. */
  issues: { enabled: boolean; labels: string[]; limit: number }
}

/**
 * The runner's inputs. An input the runner did not set is "not given" (the runner sets every input
 * that has a default in action.yml, and action.yml's defaults are the engine's).
 */
export const readActionInput: InputReader = name => {
  const variable = `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
  if (process.env[variable] === undefined) return undefined
  return core.getInput(name, { trimWhitespace: !option(name).untrimmed })
}

/** Parses the GitHub-only inputs. The token is a credential: it is never quoted in a message. */
export function parseActionSettings(fields: InputFields, settings: Settings): ActionSettings {
  const { read, problem } = fields
  const artifactName = read('artifact-name') || undefined
  if (artifactName && ARTIFACT_NAME_FORBIDDEN.test(artifactName)) {
    problem(
      `'artifact-name' must not contain any of " : < > | * ? \\ / or a line break; got '${artifactName}'`
    )
  }
  const prComment = fields.bool('pr-comment')
  const githubToken = read('github-token')
  if (prComment && githubToken === '') {
    problem(
      `'github-token' is required when 'pr-comment' is true: a token that may write to pull requests, such as \${{ github.token }}`
    )
  }
  const issues = {
    enabled: fields.bool('issues'),
    labels: read('issue-labels')
      .split(',')
      .map(label => label.trim())
      .filter(Boolean),
    limit: fields.number('issue-limit', 0, 'issues', 100)
  }
  if (issues.enabled && issues.labels.length === 0) {
    problem(
      `'issue-labels' needs at least one label when 'issues' is true: it is how the issues are found again`
    )
  }
  if (issues.enabled && githubToken === '') {
    problem(
      `'github-token' is required when 'issues' is true: a token that may write issues, such as \${{ github.token }}`
    )
  }
  if (settings.policyFiles.baseline === 'auto' && githubToken === '') {
    problem(
      `'github-token' is required when 'baseline' is auto: a token that may read the repository's Actions runs, such as \${{ github.token }}`
    )
  }
  return {
    artifact: {
      upload: fields.bool('upload-artifact'),
      name: artifactName,
      retentionDays: parseRetentionDays(read('retention-days'), problem)
    },
    summary: fields.bool('summary'),
    annotations: fields.bool('annotations'),
    prComment,
    githubToken,
    prCommentKey: read('pr-comment-key'),
    baselineRuns: { workflow: read('baseline-workflow'), branch: read('baseline-branch') },
    issues
  }
}

function parseRetentionDays(raw: string, problem: InputFields['problem']): number | undefined {
  if (raw === '') return undefined
  const days = Number(raw)
  if (!Number.isInteger(days) || days < 1 || days > 90) {
    return problem(`'retention-days' must be a whole number of days from 1 to 90; got '${raw}'`)
  }
  return days
}
