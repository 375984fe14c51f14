import { dirname, relative, sep } from 'node:path'
import type { ArtifactSettings } from '../inputs/settings.js'
import type { UploadedArtifact } from './outcome.js'

export function artifactName(settings: ArtifactSettings, scanId: string): string {
  return settings.name ?? `crashtest-report-${scanId}`
}

/**
 * Uploads the report and the files made from it as one artifact, with the toolkit's artifact client
 * (loaded only when an upload is due). Paths inside the artifact are relative to the files' common folder.
 */
let artifactClient: Promise<typeof import('@actions/artifact')> | undefined

/** The toolkit's artifact client: some 4 MB of code, loaded once, and only when an upload is due. */
function loadArtifactClient(): Promise<typeof import('@actions/artifact')> {
  return (artifactClient ??= import('@actions/artifact'))
}

/**
 * Starts loading the artifact client while the action has nothing else to do (waiting for the scan),
 * so that the upload at the end does not wait for it. A failure surfaces at the upload.
 */
export function preloadArtifactClient(): void {
  loadArtifactClient().catch(() => undefined)
  // The blob client asks `typeof FormData` on its first request, and Node builds that global, with the
  // rest of its own fetch implementation, on first use: some 20 ms, spent here rather than at the end.
  void globalThis.FormData
}

export async function uploadArtifact(
  settings: ArtifactSettings,
  scanId: string,
  files: string[]
): Promise<UploadedArtifact> {
  const { DefaultArtifactClient } = await loadArtifactClient()
  const name = artifactName(settings, scanId)
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

export function commonFolder(files: string[]): string {
  return files.map(dirname).reduce((common, folder) => {
    while (relative(common, folder).split(sep)[0] === '..') common = dirname(common)
    return common
  })
}
