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

export interface FakeIssue {
  number: number
  title: string
  body: string
  labels: string[]
  state: 'open' | 'closed'
  state_reason: 'completed' | 'not_planned' | 'reopened' | null
  user: { login: string; type: 'Bot' | 'User' }
  closed_by: { login: string } | null
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
  /** The issues of a repository, oldest first. */
  issues(repository: string): FakeIssue[]
  /** Adds issues as people would have opened them (their bodies, their labels). */
  seedIssues(repository: string, issues: Pick<FakeIssue, 'title' | 'body' | 'labels'>[]): void
  /** Closes an issue as a person would, by hand or as not planned. */
  closeIssue(repository: string, number: number, reason: 'completed' | 'not_planned'): void
  /** The labels of a repository. */
  labels(repository: string): string[]
  /** The next `count` API requests answer this instead (a secondary rate limit, say). */
  refuseNext(count: number, status: number, headers: Record<string, string>): void
  close(): Promise<void>
}

const PREFIX = '/api/v3'
const BOT = { login: 'github-actions[bot]', type: 'Bot' as const }
const ISSUE_COMMENTS = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/
const WORKFLOW_RUNS = /^\/repos\/([^/]+\/[^/]+)\/actions\/workflows\/([^/]+)\/runs$/
const RUN_ARTIFACTS = /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)\/artifacts$/
const ARTIFACT_ZIP = /^\/repos\/([^/]+\/[^/]+)\/actions\/artifacts\/(\d+)\/zip$/
const BLOB = /^\/blob\/(\d+)\.zip$/
const ISSUES = /^\/repos\/([^/]+\/[^/]+)\/issues$/
const ONE_ISSUE = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/
const LABELS = /^\/repos\/([^/]+\/[^/]+)\/labels$/
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

  const issuesOf = new Map<string, FakeIssue[]>()
  const labelsOf = new Map<string, Set<string>>()
  const issueList = (repository: string): FakeIssue[] => {
    const key = repository.toLowerCase()
    if (!issuesOf.has(key)) issuesOf.set(key, [])
    return issuesOf.get(key)!
  }
  const labelSet = (repository: string): Set<string> => {
    const key = repository.toLowerCase()
    if (!labelsOf.has(key)) labelsOf.set(key, new Set())
    return labelsOf.get(key)!
  }
  const newIssue = (
    repository: string,
    fields: Pick<FakeIssue, 'title' | 'body' | 'labels'>,
    user: FakeIssue['user']
  ) => {
    const list = issueList(repository)
    // Issues and pull requests share their numbers; comments are kept per number.
    const issue: FakeIssue = {
      number: list.length + 1,
      state: 'open',
      state_reason: null,
      user,
      closed_by: null,
      ...fields
    }
    list.push(issue)
    return issue
  }
  const refusals: { status: number; headers: Record<string, string> }[] = []

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
    const refusal = refusals.shift()
    if (refusal)
      return answer(
        res,
        refusal.status,
        { message: 'You have exceeded a secondary rate limit.' },
        refusal.headers
      )
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

    const issues = ISSUES.exec(path) ?? ONE_ISSUE.exec(path)
    if (issues) return handleIssues(req, res, issues, target.searchParams, rawBody, forbidden)
    const labels = LABELS.exec(path)
    if (labels && req.method === 'POST') {
      if (options.access === 'read-only') return forbidden()
      const name = (JSON.parse(rawBody || '{}') as { name?: string }).name ?? ''
      const known = labelSet(labels[1]!)
      if (known.has(name.toLowerCase())) {
        return answer(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }]
        })
      }
      known.add(name.toLowerCase())
      return answer(res, 201, { name })
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

  function handleIssues(
    req: IncomingMessage,
    res: ServerResponse,
    match: RegExpExecArray,
    query: URLSearchParams,
    rawBody: string,
    forbidden: () => void
  ): void {
    const repository = match[1]!
    const list = issueList(repository)
    const shown = (issue: FakeIssue) => ({
      ...issue,
      labels: issue.labels.map(name => ({ name })),
      html_url: `https://github.com/${repository}/issues/${issue.number}`
    })
    if (match[2] === undefined && req.method === 'GET') {
      const wanted = (query.get('labels') ?? '').split(',').filter(Boolean)
      const state = query.get('state') ?? 'open'
      const found = list
        .filter(issue => state === 'all' || issue.state === state)
        .filter(issue => wanted.every(label => issue.labels.includes(label)))
        .sort((a, b) => b.number - a.number)
      const perPage = Math.min(100, Number(query.get('per_page')) || options.defaultPageSize || 30)
      const page = Math.max(1, Number(query.get('page')) || 1)
      const last = Math.max(1, Math.ceil(found.length / perPage))
      const link = (n: number, rel: string) => {
        const pageUrl = new URL(`${url}/repos/${repository}/issues`)
        for (const [key, value] of query) pageUrl.searchParams.set(key, value)
        pageUrl.searchParams.set('per_page', String(perPage))
        pageUrl.searchParams.set('page', String(n))
        return `<${pageUrl.href}>; rel="${rel}"`
      }
      const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : []
      const slice = found.slice((page - 1) * perPage, page * perPage).map(shown)
      return answer(res, 200, slice, links.length ? { link: links.join(', ') } : {})
    }
    if (match[2] === undefined && req.method === 'POST') {
      if (options.access === 'read-only') return forbidden()
      const fields = JSON.parse(rawBody || '{}') as { title?: string; body?: string; labels?: string[] }
      if (!fields.title) return answer(res, 422, { message: 'Validation Failed' })
      const issue = newIssue(
        repository,
        { title: fields.title, body: fields.body ?? '', labels: fields.labels ?? [] },
        BOT
      )
      return answer(res, 201, shown(issue))
    }
    const issue = list.find(i => i.number === Number(match[2]))
    if (!issue) return answer(res, 404, { message: 'Not Found' })
    if (req.method === 'GET') return answer(res, 200, shown(issue))
    if (req.method === 'PATCH') {
      if (options.access === 'read-only') return forbidden()
      const fields = JSON.parse(rawBody || '{}') as {
        state?: 'open' | 'closed'
        state_reason?: FakeIssue['state_reason']
      }
      if (fields.state === 'closed') {
        Object.assign(issue, {
          state: 'closed',
          state_reason: fields.state_reason ?? 'completed',
          closed_by: { login: BOT.login }
        })
      } else if (fields.state === 'open') {
        Object.assign(issue, { state: 'open', state_reason: 'reopened', closed_by: null })
      }
      return answer(res, 200, shown(issue))
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
    issues: repository => [...issueList(repository)],
    seedIssues: (repository, issues) => {
      for (const fields of issues) newIssue(repository, fields, { login: 'octocat', type: 'User' })
    },
    closeIssue: (repository, number, reason) => {
      const issue = issueList(repository).find(i => i.number === number)
      if (issue)
        Object.assign(issue, { state: 'closed', state_reason: reason, closed_by: { login: 'octocat' } })
    },
    labels: repository => [...labelSet(repository)],
    refuseNext: (count, status, headers) => {
      for (let i = 0; i < count; i++) refusals.push({ status, headers })
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
