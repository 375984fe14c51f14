// What the action's GitHub API features share: the REST client for this repository, the pull-request
// events, and the address of a workflow run.
type Env = Record<string, string | undefined>

/** Events whose payload names a pull request. */
export const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

/**
 * The REST API for the running repository, with `token`, at GITHUB_API_URL (GitHub Enterprise Server's
 * too). Loaded only when a feature asks for it: the toolkit reads the event payload when loaded.
 */
export async function repositoryApi(token: string, env: Env = process.env) {
  const { context, getOctokit } = await import('@actions/github')
  const octokit = getOctokit(token, { baseUrl: env.GITHUB_API_URL || 'https://api.github.com' })
  return { context, octokit, ...context.repo }
}

export type RepositoryApi = Awaited<ReturnType<typeof repositoryApi>>

/** The address of a workflow run of the running repository: this one unless `runId` is given. */
export function runUrl(env: Env, runId = env.GITHUB_RUN_ID): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository } = env
  return server && repository && runId ? `${server}/${repository}/actions/runs/${runId}` : undefined
}
