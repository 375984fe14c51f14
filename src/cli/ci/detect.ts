export type CiSystem = 'teamcity' | 'azure' | 'gitlab' | 'github' | 'other'

/**
 * Tells which CI system runs the command, from the variables each one sets on its jobs.
 *
 * A job can inherit another system's variables (a TeamCity build that starts a container built on
 * GitHub, say), so the checks run in a fixed order and the first match wins.
 */
export function detectCi(env: Record<string, string | undefined>): CiSystem {
  if (env.TEAMCITY_VERSION) return 'teamcity'
  // Azure Pipelines sets `True`; the comparison ignores case as scripts often write `true`.
  if (env.TF_BUILD?.toLowerCase() === 'true') return 'azure'
  if (env.GITLAB_CI === 'true') return 'gitlab'
  if (env.GITHUB_ACTIONS === 'true') return 'github'
  return 'other'
}
