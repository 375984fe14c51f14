// A local fake of the parts of GitHub's REST API the action uses, for the end-to-end tests: an issue's
// comments (list, paginated with Link headers as GitHub does; create; update) for the pull-request
// comment, and for `baseline: auto` a workflow's runs, a run's artifacts and an artifact's download,
// which answers 302 to a blob URL that serves the zip, as GitHub does (410 once the artifact expired).
// It serves under /api/v3 like GitHub Enterprise Server, so the action reaches it only through
// GITHUB_API_URL. It checks the token, can answer like a fork pull request's read-only token or a token
// without `actions: read`, and records every request.
import { text } from 'node:stream/consumers'
import { createServer, STATUS_CODES } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeComment {
  id: number
  body: string
  user: { login: string; type: 'Bot' | 'User' }
  created_at: string
  updated_at: string
}

export interface GitHubApiRequest {
  method: string
  /** The request target as sent, query string included. */
  path: string
  headers: IncomingHttpHeaders
  body: string
}

export interface GitHubApiOptions {
  /** The token the fake accepts (as `token X` or `Bearer X`); any other answers 401. */
  token: string
  /**
   * `read-only` answers writes with 403 "Resource not accessible by integration", as GitHub does for the
   * token of a workflow run from a fork.
   */
  access?: 'write' | 'read-only'
  /** The default page size of GitHub is 30; per_page may ask for up to 100. */
  defaultPageSize?: number
  /** `false` answers the Actions endpoints with 403, as for a token without `actions: read`. */
  actionsRead?: boolean
  /**
   * The workflow files each repository has (default: `ci.yml`, the runner emulation's); a run adds its
   * own. Runs of another workflow answer 404, as GitHub does.
   */
  workflows?: string[]
}

export interface FakeArtifact {
  name: string
  /** The zip the artifact client uploaded (see simulator/artifact-service.ts). */
  zip: Buffer
  expired?: boolean
  /** Listed as live, but expired by the time it is downloaded: the download answers 410. */
  expiresBeforeDownload?: boolean
}

export interface FakeRun {
  /** The workflow's file name, as in `.github/workflows/<file>`. */
  workflow: string
  branch: string
  conclusion: 'success' | 'failure' | 'cancelled'
  artifacts?: FakeArtifact[]
  /** Default: the next id, newer than every run before. */
  id?: number
}

export interface FakeGitHubApi {
  /** The base URL to give as GITHUB_API_URL, e.g. http://127.0.0.1:41234/api/v3 */
  url: string
  requests: GitHubApiRequest[]
  /** The comments of one issue or pull request of a repository, oldest first. */
  comments(repository: string, issue: number): FakeComment[]
  /** Adds comments as another user would have written them. */
  seed(repository: string, issue: number, bodies: string[]): void
  /** Adds a finished workflow run of a repository, newer than those before; returns its id. */
  addRun(repository: string, run: FakeRun): number
  close(): Promise<void>
}

const PREFIX = '/api/v3'
const BOT = { login: 'github-actions[bot]', type: 'Bot' as const }
const ISSUE_COMMENTS = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/
const WORKFLOW_RUNS = /^\/repos\/([^/]+\/[^/]+)\/actions\/workflows\/([^/]+)\/runs$/
const RUN_ARTIFACTS = /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)\/artifacts$/
const ARTIFACT_ZIP = /^\/repos\/([^/]+\/[^/]+)\/actions\/artifacts\/(\d+)\/zip$/
const BLOB = /^\/blob\/(\d+)\.zip$/
const ONE_COMMENT = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/

export async function startGitHubApi(options: GitHubApiOptions): Promise<FakeGitHubApi> {
  const threads = new Map<string, FakeComment[]>()
  const requests: GitHubApiRequest[] = []
  let nextId = 1_000_001
  let clock = Date.parse('2025-01-01T00:00:00Z')
  const now = () => new Date((clock += 1000)).toISOString()
  const thread = (repository: string, issue: number): FakeComment[] => {
    const key = `${repository.toLowerCase()}#${issue}`
    let comments = threads.get(key)
    if (!comments) threads.set(key, (comments = []))
    return comments
  }
  const addComment = (repository: string, issue: number, body: string, user: FakeComment['user']) => {
    const at = now()
    const comment = { id: nextId++, body, user, created_at: at, updated_at: at }
    thread(repository, issue).push(comment)
    return comment
  }

  const runs: (Required<Omit<FakeRun, 'artifacts'>> & {
    repository: string
    artifacts: (FakeArtifact & { id: number })[]
  })[] = []
  let nextRunId = 7_000_000_001
  let nextArtifactId = 9_000_001
  const artifactById = (id: number) =>
    runs.flatMap(run => run.artifacts.map(artifact => ({ run, artifact }))).find(a => a.artifact.id === id)

  let url = ''
  const server: Server = createServer((req, res) => {
    void text(req).then(body => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body })
      handle(req, res, body)
    })
  })

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const target = new URL(req.url ?? '/', 'http://fake')
    // Blob storage: the signed URL is the credential, no token (as with Azure's SAS URLs).
    const blob = BLOB.exec(target.pathname)
    if (blob && req.method === 'GET') {
      const found = artifactById(Number(blob[1]))
      if (!found || target.searchParams.get('sig') !== 'fake')
        return answer(res, 403, { message: 'AuthenticationFailed' })
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': found.artifact.zip.length })
      return void res.end(found.artifact.zip)
    }
    if (!target.pathname.startsWith(`${PREFIX}/`)) return answer(res, 404, { message: 'Not Found' })
    const path = target.pathname.slice(PREFIX.length)
    const auth = req.headers.authorization ?? ''
    if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}`) {
      return answer(res, 401, { message: 'Bad credentials' })
    }
    const forbidden = () =>
      answer(res, 403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
        status: '403'
      })

    if (/^\/repos\/[^/]+\/[^/]+\/actions\//.test(path) && req.method === 'GET') {
      if (options.actionsRead === false) {
        return answer(res, 403, { message: 'Resource not accessible by integration', status: '403' })
      }
      return handleActions(res, path, target.searchParams)
    }

    const list = ISSUE_COMMENTS.exec(path)
    if (list) {
      const [, owner, repo, issue] = list as unknown as [string, string, string, string]
      const comments = thread(`${owner}/${repo}`, Number(issue))
      if (req.method === 'GET') {
        const perPage = Math.min(
          100,
          Number(target.searchParams.get('per_page')) || options.defaultPageSize || 30
        )
        const page = Math.max(1, Number(target.searchParams.get('page')) || 1)
        const last = Math.max(1, Math.ceil(comments.length / perPage))
        const link = (n: number, rel: string) => {
          const pageUrl = new URL(`${url}${path}`)
          pageUrl.searchParams.set('per_page', String(perPage))
          pageUrl.searchParams.set('page', String(n))
          return `<${pageUrl.href}>; rel="${rel}"`
        }
        const links = [
          ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
          ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])
        ]
        const slice = comments.slice((page - 1) * perPage, page * perPage)
        return answer(
          res,
          200,
          slice.map(withUrls(owner, repo, Number(issue))),
          links.length ? { link: links.join(', ') } : {}
        )
      }
      if (req.method === 'POST') {
        if (options.access === 'read-only') return forbidden()
        const body = parseBody(rawBody)
        if (body === undefined) return answer(res, 422, { message: 'Invalid request: body is required' })
        const created = addComment(`${owner}/${repo}`, Number(issue), body, BOT)
        return answer(res, 201, withUrls(owner, repo, Number(issue))(created))
      }
      return answer(res, 404, { message: 'Not Found' })
    }

    const one = ONE_COMMENT.exec(path)
    if (one && req.method === 'PATCH') {
      const [, owner, repo, id] = one as unknown as [string, string, string, string]
      if (options.access === 'read-only') return forbidden()
      for (const [key, comments] of threads) {
        if (!key.startsWith(`${owner}/${repo}#`.toLowerCase())) continue
        const comment = comments.find(c => c.id === Number(id))
        if (!comment) continue
        const body = parseBody(rawBody)
        if (body === undefined) return answer(res, 422, { message: 'Invalid request: body is required' })
        Object.assign(comment, { body, updated_at: now() })
        return answer(res, 200, withUrls(owner, repo, Number(key.split('#')[1]))(comment))
      }
    }
    return answer(res, 404, { message: 'Not Found' })
  }

  function handleActions(res: ServerResponse, path: string, query: URLSearchParams): void {
    const listed = WORKFLOW_RUNS.exec(path)
    if (listed) {
      const [, repository, workflow] = listed as unknown as [string, string, string]
      const known = new Set([...(options.workflows ?? ['ci.yml']), ...runs.map(run => run.workflow)])
      if (!known.has(workflow)) return answer(res, 404, { message: 'Not Found' })
      const found = runs
        .filter(run => run.repository === repository.toLowerCase() && run.workflow === workflow)
        .filter(run => !query.get('branch') || run.branch === query.get('branch'))
        // GitHub's `status` filter takes a conclusion as well as a status.
        .filter(run => !query.get('status') || run.conclusion === query.get('status'))
        .sort((a, b) => b.id - a.id)
      const page = found.slice(0, Math.min(100, Number(query.get('per_page')) || 30))
      return answer(res, 200, {
        total_count: found.length,
        workflow_runs: page.map(run => ({
          id: run.id,
          head_branch: run.branch,
          status: 'completed',
          conclusion: run.conclusion,
          path: `.github/workflows/${run.workflow}`,
          html_url: `https://github.com/${run.repository}/actions/runs/${run.id}`
        }))
      })
    }
    const ofRun = RUN_ARTIFACTS.exec(path)
    if (ofRun) {
      const run = runs.find(r => r.repository === ofRun[1]?.toLowerCase() && r.id === Number(ofRun[2]))
      if (!run) return answer(res, 404, { message: 'Not Found' })
      return answer(res, 200, {
        total_count: run.artifacts.length,
        artifacts: run.artifacts.map(artifact => ({
          id: artifact.id,
          name: artifact.name,
          size_in_bytes: artifact.zip.length,
          expired: artifact.expired === true,
          archive_download_url: `${url}/repos/${run.repository}/actions/artifacts/${artifact.id}/zip`,
          workflow_run: { id: run.id, head_branch: run.branch }
        }))
      })
    }
    const zip = ARTIFACT_ZIP.exec(path)
    if (zip) {
      const found = artifactById(Number(zip[2]))
      if (!found || found.run.repository !== zip[1]?.toLowerCase())
        return answer(res, 404, { message: 'Not Found' })
      if (found.artifact.expired || found.artifact.expiresBeforeDownload) {
        return answer(res, 410, { message: 'Artifact has expired' })
      }
      const origin = new URL(url).origin
      res.writeHead(302, {
        location: `${origin}/blob/${found.artifact.id}.zip?sig=fake`,
        'content-length': 0
      })
      return void res.end()
    }
    return answer(res, 404, { message: 'Not Found' })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PREFIX}`
  return {
    url,
    requests,
    comments: (repository, issue) => [...thread(repository, issue)],
    seed: (repository, issue, bodies) => {
      for (const body of bodies) addComment(repository, issue, body, { login: 'octocat', type: 'User' })
    },
    addRun: (repository, run) => {
      const id = run.id ?? nextRunId++
      const artifacts = (run.artifacts ?? []).map(artifact => ({ ...artifact, id: nextArtifactId++ }))
      runs.push({ ...run, id, repository: repository.toLowerCase(), artifacts })
      return id
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

function withUrls(owner: string, repo: string, issue: number) {
  return (comment: FakeComment) => ({
    ...comment,
    html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${comment.id}`
  })
}

function parseBody(raw: string): string | undefined {
  try {
    const body = (JSON.parse(raw) as { body?: unknown }).body
    return typeof body === 'string' ? body : undefined
  } catch {
    return undefined
  }
}

function answer(
  res: ServerResponse,
  status: number,
  json: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(json)
  res.writeHead(status, STATUS_CODES[status], {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers
  })
  res.end(text)
}
