import { dirname } from 'node:path'
import type { ArtifactSettings } from '../inputs/settings.js'
import type { UploadedArtifact } from './outcome.js'

export function artifactName(settings: ArtifactSettings, scanId: string): string {
  return settings.name ?? `crashtest-report-${scanId}`
}

/** Uploads the report with the toolkit's artifact client, loaded only when an upload is due. */
export async function uploadReport(
  settings: ArtifactSettings,
  scanId: string,
  reportPath: string
): Promise<UploadedArtifact> {
  const { DefaultArtifactClient } = await import('@actions/artifact')
  const name = artifactName(settings, scanId)
  const { id } = await new DefaultArtifactClient().uploadArtifact(name, [reportPath], dirname(reportPath), {
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
