import type { IssueResults } from './issues.js'
import { dirname, relative, sep } from 'node:path'
import type { RunOutcome } from '../engine/run/outcome.js'
import type { ArtifactSettings } from './action-inputs.js'

/** `crashtest-report-<scan id>`, with every scan's id when there are several: unique per set of scans. */
export function artifactName(settings: ArtifactSettings, scanIds: readonly string[]): string {
  return settings.name ?? `crashtest-report-${scanIds.join('-')}`
}

export interface UploadedArtifact {
  id: number
  name: string
  url?: string
}

/** The run's outcome and the artifact the action kept it in. */
export type ActionOutcome = RunOutcome & { artifact?: UploadedArtifact; issues?: IssueResults }

/**
 * Uploads the report and the files made from it as one artifact, with the toolkit's artifact client.
 * Paths inside the artifact are relative to the files' common folder. The client (some 4 MB of code)
 * is loaded only when an upload is due: a run without one, and the memory of the whole run while the
 * report is read, do without it.
 */
export async function uploadArtifact(
  settings: ArtifactSettings,
  scanIds: readonly string[],
  files: string[]
): Promise<UploadedArtifact> {
  const name = artifactName(settings, scanIds)
  const { DefaultArtifactClient } = await import('@actions/artifact')
  const { id } = await new DefaultArtifactClient().uploadArtifact(name, files, commonFolder(files), {
    retentionDays: settings.retentionDays
  })
  if (id === undefined) throw new Error(`the artifact service did not return an id for '${name}'`)
  return { id, name, url: artifactUrl(id) }
}

function artifactUrl(id: number): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = process.env
  if (!server || !repository || !runId) return undefined
  return `${server}/${repository}/actions/runs/${runId}/artifacts/${id}`
}

function commonFolder(files: string[]): string {
  return files.map(dirname).reduce((common, folder) => {
    while (relative(common, folder).split(sep)[0] === '..') common = dirname(common)
    return common
  })
}
