// A local fake of the GitHub Actions artifact service (results service v4+), faithful enough for the real
// `@actions/artifact` client (v6) to upload against it unchanged:
//
// - Twirp JSON RPCs under /twirp/github.actions.results.api.v1.ArtifactService/: CreateArtifact answers a
//   signed upload URL, FinalizeArtifact answers the artifact id. Requests and answers use the proto field
//   names (snake_case, int64 as strings) as the real service does; errors are Twirp errors
//   `{"code": "...", "msg": "..."}` with the matching HTTP status.
// - The signed URL points back at this server, which answers the Azure Blob Storage calls the client's
//   `BlockBlobClient.uploadStream` makes (Put Block, Put Block List; Put Blob for completeness) with the
//   status codes, headers and XML errors Azure uses.
//
// An artifact name can be created once per workflow run; a second CreateArtifact with the same name is
// refused with `already_exists` (HTTP 409), the clash users hit on GitHub.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import yauzl from 'yauzl'

export interface UploadedArtifact {
  id: number
  name: string
  workflowRunBackendId: string
  workflowJobRunBackendId: string
  /** RFC 3339 time from CreateArtifact's `expires_at` (sent when the client is given `retentionDays`) */
  expiresAt?: string
  /** the committed blob: the zip the client uploaded (empty until the upload is committed) */
  zip: Buffer
  /** the zip's entries, unzipped when the artifact is finalized (directories left out) */
  files: Record<string, Buffer>
  finalized: boolean
  /** CreateArtifact's `mime_type` (`application/zip` unless the client uploads a raw file) */
  mimeType?: string
  /** FinalizeArtifact's `hash` without its `sha256:` prefix */
  sha256?: string
}

export type ArtifactRpc = 'CreateArtifact' | 'FinalizeArtifact'

export interface ArtifactService {
  /** value for ACTIONS_RESULTS_URL (with trailing slash as the runner gives it) */
  url: string
  /** a JWT (unsigned) for ACTIONS_RUNTIME_TOKEN, scoped to one workflow run and job */
  runtimeToken: string
  artifacts: UploadedArtifact[]
  /** every request received, in order: `path` is the request target including its query */
  requests: { method: string; path: string }[]
  /**
   * The next call of `rpc` answers a Twirp error with this HTTP status (and the Twirp code that maps to it),
   * without side effects. Calls queue up: calling it twice fails the next two calls. Note that the client
   * retries 429, 500, 502, 503 and 504 (after about 3 s, then longer) and gives up at once on the others.
   */
  failNext(rpc: ArtifactRpc, status: number, message?: string): void
  /** stops listening and destroys open (keep-alive) sockets */
  close(): Promise<void>
}

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/'
const STORAGE_ACCOUNT = 'productionresultssa0'
const CONTAINER = 'actions-results'
const DEFAULT_STORAGE_VERSION = '2026-04-06'
const SAS_LIFETIME_MS = 6 * 60 * 60 * 1000
const MAX_BODY_BYTES = 512 * 1024 * 1024

// Twirp error codes and their HTTP statuses (https://twitchtv.github.io/twirp/docs/spec_v7.html)
const TWIRP_STATUS = {
  canceled: 408,
  unknown: 500,
  invalid_argument: 400,
  malformed: 400,
  deadline_exceeded: 408,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  resource_exhausted: 429,
  failed_precondition: 412,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  dataloss: 500
} as const
type TwirpCode = keyof typeof TWIRP_STATUS

const CODE_FOR_STATUS: Record<number, TwirpCode> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  408: 'deadline_exceeded',
  409: 'already_exists',
  412: 'failed_precondition',
  429: 'resource_exhausted',
  500: 'internal',
  501: 'unimplemented',
  502: 'unavailable',
  503: 'unavailable',
  504: 'deadline_exceeded'
}

class TwirpError extends Error {
  constructor(
    readonly code: TwirpCode,
    message: string,
    readonly status: number = TWIRP_STATUS[code]
  ) {
    super(message)
  }
}

class StorageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

interface BlobUpload {
  artifact: UploadedArtifact
  sig: string
  expiresAtMs: number
  /** staged, not yet committed blocks by base64 block id */
  uncommitted: Map<string, Buffer>
  /** blocks of the committed blob, in order */
  committedBlocks: { id: string; data: Buffer }[]
  committed?: Buffer
  contentType?: string
}

export async function startArtifactService(options: { port?: number } = {}): Promise<ArtifactService> {
  const workflowRunBackendId = randomUUID()
  const workflowJobRunBackendId = randomUUID()
  const runtimeToken = unsignedJwt({
    nameid: 'dddddddd-dddd-dddd-dddd-dddddddddddd',
    scp: `Actions.ExampleScope Actions.Results:${workflowRunBackendId}:${workflowJobRunBackendId}`,
    iss: 'vstoken.actions.githubusercontent.com',
    aud: 'vso:a6a1f2a0-0000-0000-0000-000000000000',
    nbf: Math.floor(Date.now() / 1000) - 60,
    iat: Math.floor(Date.now() / 1000) - 60,
    exp: Math.floor(Date.now() / 1000) + 6 * 60 * 60
  })

  const artifacts: UploadedArtifact[] = []
  const requests: { method: string; path: string }[] = []
  const failures: Record<ArtifactRpc, { status: number; message?: string }[]> = {
    CreateArtifact: [],
    FinalizeArtifact: []
  }
  const uploads = new Map<string, BlobUpload>() // by blob path
  let nextArtifactId = 4_200_000_001 // real artifact ids are past 2^31 by now
  let origin = ''

  async function createArtifact(body: Record<string, unknown>): Promise<unknown> {
    const ids = backendIds(body)
    const name = stringField(body, 'name') ?? ''
    if (name === '') throw new TwirpError('invalid_argument', 'name is required')
    const expires = body.expires_at ?? body.expiresAt
    let expiresAt: string | undefined
    if (expires !== undefined && expires !== null) {
      if (typeof expires !== 'string' || Number.isNaN(Date.parse(expires))) {
        throw new TwirpError(
          'malformed',
          'the json request could not be decoded: invalid google.protobuf.Timestamp'
        )
      }
      expiresAt = expires
    }
    if (artifacts.some(a => a.workflowRunBackendId === ids.workflowRunBackendId && a.name === name)) {
      throw new TwirpError('already_exists', 'an artifact with this name already exists on the workflow run')
    }
    const mime = body.mime_type ?? body.mimeType
    const artifact: UploadedArtifact = {
      id: nextArtifactId++,
      name,
      ...ids,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      zip: Buffer.alloc(0),
      files: {},
      finalized: false,
      ...(typeof mime === 'string' ? { mimeType: mime } : {})
    }
    artifacts.push(artifact)

    const blobPath =
      `/${STORAGE_ACCOUNT}/${CONTAINER}/${ids.workflowRunBackendId}/workflow-job-run-` +
      `${ids.workflowJobRunBackendId}/artifacts/${randomBytes(32).toString('hex')}.zip`
    const sig = randomBytes(32).toString('base64') // has + / = in it, as real signatures do
    const now = Date.now()
    const expiresAtMs = now + SAS_LIFETIME_MS
    uploads.set(blobPath, { artifact, sig, expiresAtMs, uncommitted: new Map(), committedBlocks: [] })
    const sas = new URLSearchParams({
      sv: '2025-07-05',
      spr: 'http',
      st: isoSeconds(now - 5 * 60 * 1000),
      se: isoSeconds(expiresAtMs),
      sr: 'b',
      sp: 'racwl',
      sig
    })
    return { ok: true, signed_upload_url: `${origin}${blobPath}?${sas.toString()}` }
  }

  async function finalizeArtifact(body: Record<string, unknown>): Promise<unknown> {
    const ids = backendIds(body)
    const name = stringField(body, 'name') ?? ''
    const artifact = artifacts.find(
      a =>
        a.workflowRunBackendId === ids.workflowRunBackendId &&
        a.workflowJobRunBackendId === ids.workflowJobRunBackendId &&
        a.name === name
    )
    if (!artifact) throw new TwirpError('not_found', 'artifact not found')
    if (artifact.finalized) throw new TwirpError('failed_precondition', 'artifact is already finalized')
    const upload = [...uploads.values()].find(u => u.artifact === artifact)
    if (!upload?.committed)
      throw new TwirpError('failed_precondition', 'artifact content has not been uploaded')
    const size = body.size
    if (size !== undefined && String(size) !== String(upload.committed.length)) {
      throw new TwirpError('invalid_argument', `size ${String(size)} does not match the uploaded size`)
    }
    const hash = stringField(body, 'hash')
    const sha256 = createHash('sha256').update(upload.committed).digest('hex')
    if (hash !== undefined && hash !== `sha256:${sha256}`) {
      throw new TwirpError('invalid_argument', 'hash does not match the uploaded content')
    }
    artifact.zip = upload.committed
    if (hash !== undefined) artifact.sha256 = sha256
    if ((artifact.mimeType ?? 'application/zip') === 'application/zip') {
      artifact.files = await unzip(upload.committed).catch(error => {
        throw new TwirpError('invalid_argument', `uploaded artifact is not a valid zip: ${String(error)}`)
      })
    }
    artifact.finalized = true
    return { ok: true, artifact_id: String(artifact.id) }
  }

  function backendIds(body: Record<string, unknown>): {
    workflowRunBackendId: string
    workflowJobRunBackendId: string
  } {
    const run = stringField(body, 'workflow_run_backend_id') ?? stringField(body, 'workflowRunBackendId')
    const job =
      stringField(body, 'workflow_job_run_backend_id') ?? stringField(body, 'workflowJobRunBackendId')
    if (!run || !job) {
      throw new TwirpError(
        'invalid_argument',
        'workflow_run_backend_id and workflow_job_run_backend_id are required'
      )
    }
    if (run !== workflowRunBackendId || job !== workflowJobRunBackendId) {
      throw new TwirpError('permission_denied', 'the token does not grant access to this workflow run or job')
    }
    return { workflowRunBackendId: run, workflowJobRunBackendId: job }
  }

  async function handleTwirp(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    try {
      const method = pathname.slice(TWIRP_PREFIX.length)
      if (req.method !== 'POST')
        throw new TwirpError('bad_route', `unsupported method ${req.method} (only POST is allowed)`)
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase()
      if (contentType !== 'application/json') {
        throw new TwirpError('bad_route', `unexpected Content-Type: "${req.headers['content-type'] ?? ''}"`)
      }
      const handler =
        method === 'CreateArtifact'
          ? createArtifact
          : method === 'FinalizeArtifact'
            ? finalizeArtifact
            : undefined
      if (!handler) throw new TwirpError('bad_route', `no handler for path "${pathname}"`)
      if (req.headers.authorization !== `Bearer ${runtimeToken}`) {
        throw new TwirpError('unauthenticated', 'invalid or missing bearer token')
      }
      const raw = await readBody(req)
      const failure = failures[method as ArtifactRpc].shift()
      if (failure) {
        const code = CODE_FOR_STATUS[failure.status] ?? 'unknown'
        throw new TwirpError(code, failure.message ?? `injected ${method} failure`, failure.status)
      }
      let body: unknown
      try {
        body = JSON.parse(raw.toString('utf8'))
      } catch (error) {
        throw new TwirpError('malformed', `the json request could not be decoded: ${String(error)}`)
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new TwirpError('malformed', 'the json request could not be decoded: not an object')
      }
      const answer = await handler(body as Record<string, unknown>)
      sendJson(res, 200, answer)
    } catch (error) {
      const twirp =
        error instanceof TwirpError
          ? error
          : new TwirpError('internal', error instanceof Error ? error.message : String(error))
      sendJson(res, twirp.status, { code: twirp.code, msg: twirp.message })
    }
  }

  async function handleBlob(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const requestId = randomUUID()
    try {
      const upload = uploads.get(url.pathname)
      const sig = url.searchParams.get('sig')
      if (!upload || sig === null || sig !== upload.sig || Date.now() > upload.expiresAtMs) {
        await readBody(req).catch(() => undefined)
        throw new StorageError(
          403,
          'AuthenticationFailed',
          'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.'
        )
      }
      if (req.headers['x-ms-structured-body'] !== undefined) {
        throw new StorageError(
          400,
          'UnsupportedHeader',
          'The fake does not support structured message bodies.'
        )
      }
      const comp = url.searchParams.get('comp')
      if (req.method === 'PUT' && comp === 'block') {
        const body = await readBody(req)
        checkContentMd5(req, body)
        stageBlock(upload, url.searchParams.get('blockid'), body)
        sendStorage(res, req, requestId, 201, checksumHeaders(req, body))
      } else if (req.method === 'PUT' && comp === 'blocklist') {
        const body = await readBody(req)
        checkContentMd5(req, body)
        commitBlockList(upload, body.toString('utf8'), req)
        sendStorage(res, req, requestId, 201, { ...committedHeaders(), ...checksumHeaders(req, body) })
      } else if (req.method === 'PUT' && comp === null) {
        // Put Blob: the whole blob in one request
        const body = await readBody(req)
        checkContentMd5(req, body)
        if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
          throw new StorageError(
            400,
            'MissingRequiredHeader',
            'An HTTP header that is mandatory for this request is not specified.'
          )
        }
        upload.committed = body
        upload.committedBlocks = []
        upload.uncommitted.clear()
        upload.contentType = headerValue(req, 'x-ms-blob-content-type') ?? headerValue(req, 'content-type')
        const md5 = createHash('md5').update(body).digest('base64')
        sendStorage(res, req, requestId, 201, { ...committedHeaders(), 'Content-MD5': md5 })
      } else if (req.method === 'PUT') {
        await readBody(req)
        throw new StorageError(
          400,
          'InvalidQueryParameterValue',
          `Value for one of the query parameters specified in the request URI is invalid. (comp=${comp ?? ''})`
        )
      } else {
        await readBody(req)
        throw new StorageError(
          405,
          'UnsupportedHttpVerb',
          "The resource doesn't support specified Http Verb."
        )
      }
    } catch (error) {
      const storage =
        error instanceof StorageError
          ? error
          : new StorageError(500, 'InternalError', error instanceof Error ? error.message : String(error))
      const message = `${storage.message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}`
      const xml =
        `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${storage.code}</Code>` +
        `<Message>${escapeXml(message)}</Message></Error>`
      const payload = Buffer.from(xml, 'utf8')
      sendStorage(
        res,
        req,
        requestId,
        storage.status,
        {
          'x-ms-error-code': storage.code,
          'Content-Type': 'application/xml'
        },
        payload
      )
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push({ method: req.method ?? '', path: req.url ?? '' })
    const done = url.pathname.startsWith(TWIRP_PREFIX)
      ? handleTwirp(req, res, url.pathname)
      : url.pathname.startsWith('/twirp/')
        ? Promise.resolve(
            sendJson(res, 404, { code: 'bad_route', msg: `no handler for path "${url.pathname}"` })
          )
        : handleBlob(req, res, url)
    done.catch(error => {
      if (!res.headersSent) res.writeHead(500)
      res.end(String(error))
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`

  return {
    url: `${origin}/`,
    runtimeToken,
    artifacts,
    requests,
    failNext(rpc, status, message) {
      if (!Number.isInteger(status) || status < 400 || status > 599) {
        throw new Error(`failNext: ${status} is not an HTTP error status`)
      }
      failures[rpc].push({ status, ...(message !== undefined ? { message } : {}) })
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(error => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
  }
}

function stageBlock(upload: BlobUpload, blockId: string | null, body: Buffer): void {
  const invalidBlock = new StorageError(
    400,
    'InvalidQueryParameterValue',
    'Value for one of the query parameters specified in the request URI is invalid. (blockid)'
  )
  if (!blockId || !/^[A-Za-z0-9+/]*={0,2}$/.test(blockId) || blockId.length % 4 !== 0) throw invalidBlock
  const decoded = Buffer.from(blockId, 'base64')
  if (decoded.length === 0 || decoded.length > 64) throw invalidBlock
  const sameLength = [...upload.uncommitted.keys(), ...upload.committedBlocks.map(b => b.id)].every(
    id => Buffer.from(id, 'base64').length === decoded.length
  )
  if (!sameLength) {
    throw new StorageError(400, 'InvalidBlobOrBlock', 'The specified blob or block content is invalid.')
  }
  if (body.length > 4000 * 1024 * 1024) {
    throw new StorageError(
      413,
      'RequestBodyTooLarge',
      'The request body is too large and exceeds the maximum permissible limit.'
    )
  }
  upload.uncommitted.set(blockId, body)
}

function commitBlockList(upload: BlobUpload, xml: string, req: IncomingMessage): void {
  if (!/<BlockList>[\s\S]*<\/BlockList>/.test(xml)) {
    throw new StorageError(400, 'InvalidXmlDocument', 'XML specified is not syntactically valid.')
  }
  const committed = new Map(upload.committedBlocks.map(b => [b.id, b.data]))
  const blocks: { id: string; data: Buffer }[] = []
  for (const match of xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)) {
    const [, kind, id = ''] = match
    const data =
      kind === 'Committed'
        ? committed.get(id)
        : kind === 'Uncommitted'
          ? upload.uncommitted.get(id)
          : (upload.uncommitted.get(id) ?? committed.get(id))
    if (!data) throw new StorageError(400, 'InvalidBlockList', 'The specified block list is invalid.')
    blocks.push({ id, data })
  }
  upload.committedBlocks = blocks
  upload.committed = Buffer.concat(blocks.map(b => b.data))
  upload.uncommitted.clear() // Azure drops the uncommitted blocks once a block list is committed
  upload.contentType = headerValue(req, 'x-ms-blob-content-type')
}

function checkContentMd5(req: IncomingMessage, body: Buffer): void {
  const md5 = headerValue(req, 'content-md5')
  if (md5 !== undefined && md5 !== createHash('md5').update(body).digest('base64')) {
    throw new StorageError(
      400,
      'Md5Mismatch',
      'The MD5 value specified in the request did not match with the MD5 value calculated by the server.'
    )
  }
}

/** Since 2019-02-02 Azure answers Content-MD5 only when the request had one, and x-ms-content-crc64 otherwise. */
function checksumHeaders(req: IncomingMessage, body: Buffer): Record<string, string> {
  if (headerValue(req, 'content-md5') !== undefined) {
    return { 'Content-MD5': createHash('md5').update(body).digest('base64') }
  }
  return { 'x-ms-content-crc64': crc64(body).toString('base64') }
}

function committedHeaders(): Record<string, string> {
  const now = new Date()
  return {
    ETag: `"0x8D${now.getTime().toString(16).toUpperCase().padStart(13, '0')}"`,
    'Last-Modified': now.toUTCString()
  }
}

function sendStorage(
  res: ServerResponse,
  req: IncomingMessage,
  requestId: string,
  status: number,
  headers: Record<string, string>,
  body: Buffer = Buffer.alloc(0)
): void {
  const clientRequestId = headerValue(req, 'x-ms-client-request-id')
  res.writeHead(status, {
    ...headers,
    'Content-Length': String(body.length),
    Server: 'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0',
    'x-ms-request-id': requestId,
    'x-ms-version': headerValue(req, 'x-ms-version') ?? DEFAULT_STORAGE_VERSION,
    ...(clientRequestId !== undefined ? { 'x-ms-client-request-id': clientRequestId } : {}),
    ...(status === 201 ? { 'x-ms-request-server-encrypted': 'true' } : {}),
    Date: new Date().toUTCString()
  })
  res.end(body)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8')
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) })
  res.end(payload)
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    req.on('end', () =>
      size > MAX_BODY_BYTES
        ? reject(new StorageError(413, 'RequestBodyTooLarge', 'The request body is too large for the fake.'))
        : resolve(Buffer.concat(chunks))
    )
    req.on('error', reject)
  })
}

async function unzip(zip: Buffer): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {}
  const zipfile = await yauzl.fromBufferPromise(zip, { lazyEntries: true })
  for await (const entry of zipfile.eachEntry()) {
    if (entry.fileName.endsWith('/')) continue
    const stream = await zipfile.openReadStreamPromise(entry)
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(chunk as Buffer)
    files[entry.fileName] = Buffer.concat(chunks)
  }
  return files
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key]
  return typeof value === 'string' ? value : undefined
}

function unsignedJwt(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url')
  return `${part({ typ: 'JWT', alg: 'none' })}.${part(payload)}.`
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, c => `&#${c.charCodeAt(0)};`)
}

// CRC-64 as Azure Storage computes it for x-ms-content-crc64: reflected polynomial 0x9A6C9329AC4BC9B5,
// initial value and final xor all ones, sent as 8 little-endian bytes. Kept in two 32-bit halves for speed.
const CRC64_LO = new Uint32Array(256)
const CRC64_HI = new Uint32Array(256)
for (let n = 0; n < 256; n++) {
  let lo = n
  let hi = 0
  for (let bit = 0; bit < 8; bit++) {
    const carry = lo & 1
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0
    hi = hi >>> 1
    if (carry) {
      lo = (lo ^ 0xac4bc9b5) >>> 0
      hi = (hi ^ 0x9a6c9329) >>> 0
    }
  }
  CRC64_LO[n] = lo
  CRC64_HI[n] = hi
}

function crc64(data: Buffer): Buffer {
  let lo = 0xffffffff
  let hi = 0xffffffff
  for (const byte of data) {
    const index = (lo ^ byte) & 0xff
    lo = (((lo >>> 8) | (hi << 24)) ^ CRC64_LO[index]!) >>> 0
    hi = ((hi >>> 8) ^ CRC64_HI[index]!) >>> 0
  }
  const out = Buffer.alloc(8)
  out.writeUInt32LE(~lo >>> 0, 0)
  out.writeUInt32LE(~hi >>> 0, 4)
  return out
}
