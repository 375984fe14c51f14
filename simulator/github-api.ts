// A local fake of the part of GitHub's REST API the pull-request comment uses, for the end-to-end tests:
// list an issue's comments (paginated with Link headers, as GitHub does), create one, update one. It
// serves under /api/v3 like GitHub Enterprise Server, so the action reaches it only through
// GITHUB_API_URL. It checks the token, can answer like a fork pull request's read-only token, and
// records every request.
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
}

export interface FakeGitHubApi {
  /** The base URL to give as GITHUB_API_URL, e.g. http://127.0.0.1:41234/api/v3 */
  url: string
  requests: GitHubApiRequest[]
  /** The comments of one issue or pull request of a repository, oldest first. */
  comments(repository: string, issue: number): FakeComment[]
  /** Adds comments as another user would have written them. */
  seed(repository: string, issue: number, bodies: string[]): void
  close(): Promise<void>
}

const PREFIX = '/api/v3'
const BOT = { login: 'github-actions[bot]', type: 'Bot' as const }
const ISSUE_COMMENTS = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/
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

  let url = ''
  const server: Server = createServer((req, res) => {
    void text(req).then(body => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body })
      handle(req, res, body)
    })
  })

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const target = new URL(req.url ?? '/', 'http://fake')
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
