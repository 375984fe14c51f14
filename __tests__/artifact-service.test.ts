// Runs the real @actions/artifact client in-process against the fake artifact service.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { DefaultArtifactClient } from '@actions/artifact'
import { startArtifactService, type ArtifactService } from '../simulator/artifact-service.js'

const ENV_KEYS = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'GITHUB_SERVER_URL',
  'GITHUB_RETENTION_DAYS'
]
const CREATE = '/twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact'
const FINALIZE = '/twirp/github.actions.results.api.v1.ArtifactService/FinalizeArtifact'
const DAY_MS = 24 * 60 * 60 * 1000

let service: ArtifactService
let dir: string
let savedEnv: Record<string, string | undefined>
let stdout: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'artifact-service-test-'))
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(async () => {
  service = await startArtifactService()
  savedEnv = Object.fromEntries(ENV_KEYS.map(key => [key, process.env[key]]))
  for (const key of ENV_KEYS) delete process.env[key]
  process.env.ACTIONS_RUNTIME_TOKEN = service.runtimeToken
  process.env.ACTIONS_RESULTS_URL = service.url
  // @actions/core logs (and masks the upload URL's signature) on stdout: keep it for assertions, off the console
  stdout = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  })
})

afterEach(async () => {
  jest.restoreAllMocks()
  for (const key of ENV_KEYS) {
    const value = savedEnv[key]
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
  await service.close()
})

function writeFile(name: string, content: Buffer | string): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

function requestLine(request: { method: string; path: string }): string {
  const url = new URL(request.path, 'http://x')
  const comp = url.searchParams.get('comp')
  return `${request.method} ${url.pathname.startsWith('/twirp/') ? url.pathname : `<blob>${comp ? `?comp=${comp}` : ''}`}`
}

describe('fake artifact service with the real DefaultArtifactClient', () => {
  it('accepts an upload: id, name, retention, and the zipped file', async () => {
    const content = `<?xml version="1.0"?>\n<testsuites tests="1"><testsuite name="scan"/></testsuites>\n`
    const file = writeFile('crashtest-report.xml', content)

    const result = await new DefaultArtifactClient().uploadArtifact('crashtest-report-42', [file], dir, {
      retentionDays: 7
    })

    expect(service.artifacts).toHaveLength(1)
    const artifact = service.artifacts[0]!
    expect(result.id).toBe(artifact.id)
    expect(artifact.id).toBeGreaterThan(2 ** 31) // real ids no longer fit an int32
    expect(artifact.name).toBe('crashtest-report-42')
    expect(artifact.finalized).toBe(true)
    expect(artifact.mimeType).toBe('application/zip')
    expect(Object.keys(artifact.files)).toEqual(['crashtest-report.xml'])
    expect(artifact.files['crashtest-report.xml']!.equals(Buffer.from(content))).toBe(true)
    expect(result.size).toBe(artifact.zip.length)
    expect(result.digest).toBe(createHash('sha256').update(artifact.zip).digest('hex'))
    expect(artifact.sha256).toBe(result.digest)

    // getExpiration adds calendar days in local time: allow for a DST change
    expect(artifact.expiresAt).toBeDefined()
    const expiresIn = Date.parse(artifact.expiresAt!) - Date.now()
    expect(Math.abs(expiresIn - 7 * DAY_MS)).toBeLessThan(2 * 60 * 60 * 1000)

    const token = JSON.parse(Buffer.from(service.runtimeToken.split('.')[1]!, 'base64url').toString('utf8'))
    expect(token.scp).toContain(
      `Actions.Results:${artifact.workflowRunBackendId}:${artifact.workflowJobRunBackendId}`
    )

    expect(service.requests.map(requestLine)).toEqual([
      `POST ${CREATE}`,
      'PUT <blob>?comp=block',
      'PUT <blob>?comp=blocklist',
      `POST ${FINALIZE}`
    ])
    // the service answers snake_case `signed_upload_url` like the real one, so the client masks the signature
    const sig = new URL(service.requests[1]!.path, 'http://x').searchParams.get('sig')!
    expect(stdout).toContain(`::add-mask::${sig}\n`)
  })

  it('leaves expiresAt unset without retentionDays', async () => {
    const file = writeFile('a.txt', 'a')
    const result = await new DefaultArtifactClient().uploadArtifact('no-retention', [file], dir)
    expect(service.artifacts).toEqual([expect.objectContaining({ id: result.id, finalized: true })])
    expect(service.artifacts[0]!.expiresAt).toBeUndefined()
  })

  it('refuses the same name twice in a run with already_exists (409), without retrying', async () => {
    const file = writeFile('b.txt', 'b')
    const client = new DefaultArtifactClient()
    await client.uploadArtifact('crashtest-report', [file], dir)
    const before = service.requests.length

    await expect(client.uploadArtifact('crashtest-report', [file], dir)).rejects.toThrow(
      'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: ' +
        'an artifact with this name already exists on the workflow run'
    )
    expect(service.requests.slice(before).map(requestLine)).toEqual([`POST ${CREATE}`])
    expect(service.artifacts).toHaveLength(1)
  })

  it('uploads a zip larger than one 8 MiB block in several blocks', async () => {
    const big = randomBytes(9 * 1024 * 1024)
    const file = writeFile('big.bin', big)
    const result = await new DefaultArtifactClient().uploadArtifact('big', [file], dir, {
      compressionLevel: 0
    })
    const artifact = service.artifacts[0]!
    expect(result.id).toBe(artifact.id)
    expect(artifact.files['big.bin']!.equals(big)).toBe(true)
    expect(service.requests.map(requestLine).filter(line => line === 'PUT <blob>?comp=block')).toHaveLength(2)
  })

  it('failNext: a non-retryable status fails the upload at once, the artifact stays unfinalized', async () => {
    const file = writeFile('c.txt', 'c')
    service.failNext('FinalizeArtifact', 400, 'bad finalize')
    await expect(new DefaultArtifactClient().uploadArtifact('c', [file], dir)).rejects.toThrow(
      'Failed to FinalizeArtifact: Received non-retryable error: Failed request: (400) Bad Request: bad finalize'
    )
    expect(service.artifacts).toEqual([expect.objectContaining({ name: 'c', finalized: false })])

    service.failNext('CreateArtifact', 403)
    await expect(new DefaultArtifactClient().uploadArtifact('d', [file], dir)).rejects.toThrow(
      '(403) Forbidden'
    )
    const result = await new DefaultArtifactClient().uploadArtifact('d', [file], dir)
    expect(result.id).toBe(service.artifacts[1]!.id)
  })

  it('failNext: a 503 is retried by the client (after ~3 s) and then succeeds', async () => {
    const file = writeFile('e.txt', 'e')
    service.failNext('CreateArtifact', 503)
    const result = await new DefaultArtifactClient().uploadArtifact('e', [file], dir)
    expect(result.id).toBe(service.artifacts[0]!.id)
    expect(service.requests.map(requestLine).filter(line => line === `POST ${CREATE}`)).toHaveLength(2)
    expect(stdout).toContain('Attempt 1 of 5 failed with error: Failed request: (503) Service Unavailable')
  }, 10_000)

  it('answers like the real services to bad credentials', async () => {
    const twirp = await fetch(new URL(CREATE, service.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer nope' },
      body: '{}'
    })
    expect(twirp.status).toBe(401)
    expect(await twirp.json()).toEqual({ code: 'unauthenticated', msg: expect.any(String) })

    const created = await fetch(new URL(CREATE, service.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${service.runtimeToken}` },
      body: JSON.stringify({
        workflow_run_backend_id: 'someone-else',
        workflow_job_run_backend_id: 'x',
        name: 'n',
        version: 7
      })
    })
    expect(created.status).toBe(403)
    expect(await created.json()).toEqual({ code: 'permission_denied', msg: expect.any(String) })

    const file = writeFile('f.txt', 'f')
    await new DefaultArtifactClient().uploadArtifact('f', [file], dir)
    const blob = new URL(service.requests.find(r => r.method === 'PUT')!.path, service.url)
    blob.searchParams.set('sig', 'forged')
    const put = await fetch(blob, { method: 'PUT', body: 'x' })
    expect(put.status).toBe(403)
    expect(put.headers.get('x-ms-error-code')).toBe('AuthenticationFailed')
    expect(await put.text()).toContain('<Code>AuthenticationFailed</Code>')
  })
})
