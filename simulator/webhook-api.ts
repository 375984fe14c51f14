// A local stand-in for the Crashtest (Veracode DAST Essentials) webhook API, for the end-to-end tests,
// the demo and CI. Everything known about the real API is in /work/shared/docs/crashtest-webhook-api.md;
// where that page says a fact is a guess, a scenario option lets the simulator play either side of it.
import { text } from 'node:stream/consumers'
import { createReadStream, statSync } from 'node:fs'
import { createServer, STATUS_CODES } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { renderJunitReport } from './junit.js'
import { LOGIN_PATH, loginAnswer, startPayloadRefusal, type LoginEndpoint } from './scan-config.js'
import { VeracodeGateway, type SignatureCheck } from './veracode-auth.js'

export interface SimulatedFinding {
  scanner: string
  title: string
  severity: string
  message: string
}

export type Fault =
  | StatusFault // answer this instead
  | { drop: true } // destroy the socket without answering
  | { delayMs: number } // answer normally but only after this delay
  | { cutAfterBytes: number; then: 'drop' | 'stall' } // the real answer's head and first bytes, then cut off or silence

export interface StatusFault {
  status: number
  body?: string
  headers?: Record<string, string>
  retryAfterDateMs?: number // a Retry-After header in the HTTP-date form, this far after the answer
}

export interface TargetScenario {
  findings?: SimulatedFinding[] // default: DEMO_FINDINGS
  passedChecks?: number // testcases without failure, default 6
  queuedMs?: number // time in status 100 after start, default 0
  runningMs?: number // then time in status 101, default 0
  finishedStatusCode?: number // code reported once finished, default 200 (undocumented in reality)
  statusKey?: 'status_code' | 'code' // where the code sits in data.status, default 'status_code'
  numbersAsText?: boolean // the scan id and the status code as strings of digits ("102"), as some answers have them
  alreadyRunning?: number // first N start requests answer {"message":"Scan is already running"} (Infinity allowed)
  alreadyRunningHttpStatus?: number // default 409
  reportNotReady?: number // first N report requests of a scan after it finished answer HTTP 400, default 0
  reportBody?: string // raw report body override (e.g. invalid XML)
  reportFile?: string // report streamed from this file (for reports too large to hold as a string)
  faults?: { start?: Fault[]; status?: Fault[]; report?: Fault[] } // one per request to that endpoint, in order
}

export interface RecordedRequest {
  method: string
  path: string // the request target as sent, query string included
  headers: IncomingHttpHeaders
  body: string
  json?: unknown // the body parsed, when it is JSON
  at: number // Date.now() when the request arrived
  signature?: SignatureCheck // Veracode mode: the check of every request to the Veracode path
}

export interface Simulator {
  url: string // base URL of the webhook API, e.g. http://127.0.0.1:41234/webhook
  veracodeUrl: string // the same under the Veracode path, e.g. http://127.0.0.1:41234/dae/api/core-api/webhook
  port: number
  requests: RecordedRequest[] // every request, in arrival order, including faulted and unknown ones
  loginUrl: string // the login endpoint of a scanned application, for the login flow (see setLogin)
  addTarget(webhook: string, scenario?: TargetScenario): void
  setLogin(endpoint: LoginEndpoint): void
  close(): Promise<void>
}

// Eight findings across every severity, plus a scanner error and a skipped check, which are not
// vulnerabilities. Messages vary in wording and hold characters that must be escaped in XML.
export const DEMO_FINDINGS: SimulatedFinding[] = [
  {
    scanner: 'sqlinjection',
    title: 'SQL Injection',
    severity: 'critical',
    message: 'SQL injection in parameter "id" of https://demo.example.test/products?id=1&sort=name'
  },
  {
    scanner: 'xss',
    title: 'Cross-Site Scripting (XSS)',
    severity: 'high',
    message: "Reflected XSS in parameter 'q' of demo.example.test/search: <script> is echoed unencoded"
  },
  {
    scanner: 'ssl',
    title: 'Transport Layer Security (TLS/SSL)',
    severity: 'high',
    message: 'TLS 1.1 is offered by the server demo.example.test:443'
  },
  {
    scanner: 'headers',
    title: 'HTTP Security Headers',
    severity: 'medium',
    message: 'Content-Security-Policy header is missing on "https://demo.example.test/"'
  },
  {
    scanner: 'csrf',
    title: 'Cross-Site Request Forgery (CSRF)',
    severity: 'medium',
    message: 'The form at https://demo.example.test/account/settings has no anti-CSRF token'
  },
  {
    scanner: 'cookies',
    title: 'Cookie Security',
    severity: 'low',
    message: 'Cookie "session" is set without the SameSite attribute on demo.example.test'
  },
  {
    scanner: 'portscan',
    title: 'Portscan',
    severity: 'info',
    message: 'Port 22/tcp (ssh) is open on demo.example.test'
  },
  {
    scanner: 'fingerprinting',
    title: 'Software Fingerprinting',
    severity: 'info',
    message: 'The Server header reveals nginx/1.18.0 at https://demo.example.test/'
  },
  {
    scanner: 'xxe',
    title: 'XML External Entity (XXE)',
    severity: 'error',
    message: 'The scanner timed out after 600 seconds'
  },
  {
    scanner: 'fileinclusion',
    title: 'File Inclusion',
    severity: 'skipped',
    message: 'No parameter that takes a file name was found'
  }
]

// The legacy Crashtest base path and the Veracode DAST Essentials one.
const VERACODE_PREFIX = '/dae/api/core-api/webhook'
const PATH_PREFIXES = ['/webhook', VERACODE_PREFIX]
const FIRST_SCAN_ID = 1001
const STATUS_QUEUED = 100
const STATUS_RUNNING = 101

type Endpoint = 'start' | 'status' | 'report'

const ENDPOINT_METHODS: Record<Endpoint, string> = { start: 'POST', status: 'GET', report: 'GET' }

interface Route {
  endpoint: Endpoint
  webhook: string
  scanId?: string
}

type ResolvedScenario = Required<Omit<TargetScenario, 'reportBody' | 'reportFile' | 'faults'>> &
  Pick<TargetScenario, 'reportBody' | 'reportFile'>

interface ScanState {
  id: number
  startedAt: number
  reportsRefused: number
}

interface TargetState {
  scenario: ResolvedScenario
  startsHandled: number
  scans: Map<number, ScanState>
  faults: Record<Endpoint, Fault[]>
}

export interface SimulatorOptions {
  port?: number
  host?: string
  targets?: Record<string, TargetScenario>
  login?: LoginEndpoint
  // Veracode mode: every request to the Veracode path must carry a valid VERACODE-HMAC-SHA-256 signature
  // of one of these credentials (API id → hex API key), else it is answered 401. The legacy path stays open.
  veracodeCredentials?: Record<string, string>
  /** Serve HTTPS with this key and certificate (PEM), as the real service does; HTTP without. */
  tls?: { key: string; cert: string }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = new WebhookApiSimulator(options.veracodeCredentials, options.tls)
  if (options.login) simulator.setLogin(options.login)
  for (const [webhook, scenario] of Object.entries(options.targets ?? {}))
    simulator.addTarget(webhook, scenario)
  await simulator.listen(options.port ?? 0, options.host ?? '127.0.0.1')
  return simulator
}

class WebhookApiSimulator implements Simulator {
  url = ''
  loginUrl = ''
  veracodeUrl = ''
  port = 0
  readonly requests: RecordedRequest[] = []
  private readonly targets = new Map<string, TargetState>()
  private readonly delayedAnswers = new Set<ReturnType<typeof setTimeout>>()
  private readonly server: Server | TlsServer
  private nextScanId = FIRST_SCAN_ID
  private login?: { endpoint: LoginEndpoint; faults: Fault[] }
  private readonly gateway?: VeracodeGateway

  constructor(
    veracodeCredentials?: Record<string, string>,
    private readonly tls?: { key: string; cert: string }
  ) {
    if (veracodeCredentials) this.gateway = new VeracodeGateway(veracodeCredentials)
    const receive = (request: IncomingMessage, response: ServerResponse): void =>
      this.receive(request, response)
    this.server = tls ? createTlsServer(tls, receive) : createServer(receive)
  }

  // Arrow properties so that `const { addTarget, close } = simulator` keeps working.
  addTarget = (webhook: string, scenario: TargetScenario = {}): void => {
    this.targets.set(webhook, {
      scenario: resolveScenario(scenario),
      startsHandled: 0,
      scans: new Map(),
      // Copies, so consuming a fault never changes the caller's arrays.
      faults: {
        start: [...(scenario.faults?.start ?? [])],
        status: [...(scenario.faults?.status ?? [])],
        report: [...(scenario.faults?.report ?? [])]
      }
    })
  }

  setLogin = (endpoint: LoginEndpoint): void => {
    this.login = { endpoint, faults: [...(endpoint.faults ?? [])] }
  }

  close = async (): Promise<void> => {
    for (const timer of this.delayedAnswers) clearTimeout(timer)
    this.delayedAnswers.clear()
    const closed = new Promise<void>(resolve => this.server.close(() => resolve()))
    // server.close() alone waits for idle keep-alive connections to time out, which keeps Jest running.
    this.server.closeAllConnections()
    await closed
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => {
        this.server.off('error', reject)
        resolve()
      })
    })
    this.port = (this.server.address() as AddressInfo).port
    const origin = `${this.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${this.port}`
    this.url = `${origin}${PATH_PREFIXES[0]}`
    this.loginUrl = `${origin}${LOGIN_PATH}`
    this.veracodeUrl = `${origin}${VERACODE_PREFIX}`
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    const recorded: RecordedRequest = {
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body: '',
      at: Date.now()
    }
    this.requests.push(recorded)
    text(request)
      .then(body => {
        recorded.body = body
        recorded.json = parseJsonOrUndefined(body)
        // The gateway checks the signature before anything else, faults included, as a real one would.
        if (this.gateway && `${pathnameOf(recorded.path)}/`.startsWith(`${VERACODE_PREFIX}/`)) {
          recorded.signature = this.gateway.check(request)
          if (!recorded.signature.verified) return sendMessage(response, 401, recorded.signature.reason)
        }
        this.dispatch(request, response, body)
      })
      .catch(() => request.socket.destroy())
  }

  private dispatch(request: IncomingMessage, response: ServerResponse, body: string): void {
    try {
      this.route(request, response, body)
    } catch (error) {
      sendMessage(response, 500, `Simulator error: ${(error as Error).message}`)
    }
  }

  private route(request: IncomingMessage, response: ServerResponse, body: string): void {
    if (pathnameOf(request.url ?? '/') === LOGIN_PATH) return this.routeLogin(request, response, body)
    const route = matchRoute(pathnameOf(request.url ?? '/'))
    if (!route) return sendMessage(response, 404, 'Not found')
    const allowed = ENDPOINT_METHODS[route.endpoint]
    if (request.method !== allowed)
      return sendMessage(response, 405, 'Method not allowed', { allow: allowed })
    const target = this.targets.get(route.webhook)
    if (!target) return sendMessage(response, 404, 'Webhook not found')
    const answer = () => this.answer(route, target, request, body, response)
    const fault = target.faults[route.endpoint].shift()
    if (fault) return this.applyFault(fault, request, response, answer)
    answer()
  }

  private applyFault(
    fault: Fault,
    request: IncomingMessage,
    response: ServerResponse,
    answer: () => void
  ): void {
    if ('drop' in fault) {
      request.socket.destroy()
    } else if ('delayMs' in fault) {
      this.answerLater(fault.delayMs, response, answer)
    } else if ('cutAfterBytes' in fault) {
      cutOff.set(response, fault)
      answer()
    } else {
      sendFault(response, fault)
    }
  }

  // The answer is computed when the delay ends, as a slow server would; it still takes effect (a started
  // scan stays started) when the client gave up waiting, like a real request that reached the service.
  private answerLater(delayMs: number, response: ServerResponse, answer: () => void): void {
    const timer = setTimeout(() => {
      this.delayedAnswers.delete(timer)
      try {
        answer()
      } catch (error) {
        sendMessage(response, 500, `Simulator error: ${(error as Error).message}`)
      }
    }, delayMs)
    this.delayedAnswers.add(timer)
  }

  private routeLogin(request: IncomingMessage, response: ServerResponse, body: string): void {
    if (request.method !== 'POST') return sendMessage(response, 405, 'Method not allowed', { allow: 'POST' })
    const login = this.login
    if (!login) return sendMessage(response, 404, 'Not found')
    const answer = () => {
      const {
        status,
        body: text,
        contentType
      } = loginAnswer(login.endpoint, request.headers['content-type'], body)
      send(response, status, text, { 'content-type': contentType })
    }
    const fault = login.faults.shift()
    if (fault) return this.applyFault(fault, request, response, answer)
    answer()
  }

  private answer(
    route: Route,
    target: TargetState,
    request: IncomingMessage,
    body: string,
    response: ServerResponse
  ): void {
    if (route.endpoint === 'start') return this.answerStart(target, request, body, response)
    const scan = findScan(target, route.scanId)
    if (!scan) return sendMessage(response, 404, 'Scan not found')
    if (route.endpoint === 'status') return answerStatus(target.scenario, scan, response)
    answerReport(target.scenario, scan, response)
  }

  private answerStart(
    target: TargetState,
    request: IncomingMessage,
    body: string,
    response: ServerResponse
  ): void {
    const refusal = startPayloadRefusal(request.headers['content-type'], body)
    if (refusal) return sendMessage(response, refusal.status, refusal.message)
    target.startsHandled += 1
    if (target.startsHandled <= target.scenario.alreadyRunning) {
      return sendMessage(response, target.scenario.alreadyRunningHttpStatus, 'Scan is already running')
    }
    const scan: ScanState = { id: this.nextScanId++, startedAt: Date.now(), reportsRefused: 0 }
    target.scans.set(scan.id, scan)
    const scanId = target.scenario.numbersAsText ? String(scan.id) : scan.id
    sendJson(response, 200, { message: 'webhook_scan_started', data: { scanId } })
  }
}

function resolveScenario(scenario: TargetScenario): ResolvedScenario {
  const resolved: ResolvedScenario = {
    findings: [...(scenario.findings ?? DEMO_FINDINGS)],
    passedChecks: scenario.passedChecks ?? 6,
    queuedMs: scenario.queuedMs ?? 0,
    runningMs: scenario.runningMs ?? 0,
    finishedStatusCode: scenario.finishedStatusCode ?? 200,
    statusKey: scenario.statusKey ?? 'status_code',
    numbersAsText: scenario.numbersAsText ?? false,
    alreadyRunning: scenario.alreadyRunning ?? 0,
    alreadyRunningHttpStatus: scenario.alreadyRunningHttpStatus ?? 409,
    reportNotReady: scenario.reportNotReady ?? 0,
    reportBody: scenario.reportBody,
    reportFile: scenario.reportFile
  }
  for (const key of ['passedChecks', 'queuedMs', 'runningMs', 'alreadyRunning', 'reportNotReady'] as const) {
    if (!(resolved[key] >= 0)) throw new RangeError(`${key} must not be negative, got ${resolved[key]}`)
  }
  return resolved
}

function answerStatus(scenario: ResolvedScenario, scan: ScanState, response: ServerResponse): void {
  const code = statusCodeOf(scenario, scan)
  const status = { [scenario.statusKey]: scenario.numbersAsText ? String(code) : code }
  sendJson(response, 200, { message: 'webhook_scan_status', data: { status } })
}

function answerReport(scenario: ResolvedScenario, scan: ScanState, response: ServerResponse): void {
  if (!isFinished(scenario, scan)) return sendMessage(response, 400, 'Report not ready')
  // The Veracode API refuses the report for a short while after the status turns terminal.
  if (scan.reportsRefused < scenario.reportNotReady) {
    scan.reportsRefused += 1
    return sendMessage(response, 400, 'Report not ready')
  }
  if (scenario.reportFile !== undefined) return sendFile(response, scenario.reportFile)
  const timeSeconds = Math.round((scenario.queuedMs + scenario.runningMs) / 1000)
  const report =
    scenario.reportBody ?? renderJunitReport(scenario.findings, scenario.passedChecks, timeSeconds)
  send(response, 200, report, { 'content-type': 'application/xml' })
}

// Phases are measured from the start request, so a test controls them with queuedMs and runningMs alone.
function statusCodeOf(scenario: ResolvedScenario, scan: ScanState): number {
  const elapsed = Date.now() - scan.startedAt
  if (elapsed < scenario.queuedMs) return STATUS_QUEUED
  if (elapsed < scenario.queuedMs + scenario.runningMs) return STATUS_RUNNING
  return scenario.finishedStatusCode
}

function isFinished(scenario: ResolvedScenario, scan: ScanState): boolean {
  return Date.now() - scan.startedAt >= scenario.queuedMs + scenario.runningMs
}

function findScan(target: TargetState, scanId: string | undefined): ScanState | undefined {
  if (scanId === undefined || !/^\d+$/.test(scanId)) return undefined
  return target.scans.get(Number(scanId))
}

function pathnameOf(requestTarget: string): string {
  return requestTarget.split('?', 1)[0] ?? ''
}

function matchRoute(pathname: string): Route | undefined {
  for (const prefix of PATH_PREFIXES) {
    if (!pathname.startsWith(`${prefix}/`)) continue
    const segments = decodeSegments(pathname.slice(prefix.length + 1))
    return segments && routeOfSegments(segments)
  }
  return undefined
}

function decodeSegments(path: string): string[] | undefined {
  try {
    return path.split('/').map(segment => decodeURIComponent(segment))
  } catch {
    return undefined // malformed percent-encoding names no webhook
  }
}

function routeOfSegments([webhook, ...rest]: string[]): Route | undefined {
  if (!webhook) return undefined
  if (rest.length === 0) return { endpoint: 'start', webhook }
  const [scans, scanId, ...tail] = rest
  if (scans !== 'scans' || !scanId) return undefined
  const action = tail.join('/')
  if (action === 'status') return { endpoint: 'status', webhook, scanId }
  if (action === 'report/junit') return { endpoint: 'report', webhook, scanId }
  return undefined
}

function parseJsonOrUndefined(body: string): unknown {
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

function isEmptyOrJson(body: string): boolean {
  if (body.trim() === '') return true
  try {
    JSON.parse(body)
    return true
  } catch {
    return false
  }
}

function sendFault(response: ServerResponse, fault: StatusFault) {
  const body = fault.body ?? JSON.stringify({ message: STATUS_CODES[fault.status] ?? 'Simulated fault' })
  const contentType = isEmptyOrJson(body) ? 'application/json' : 'text/plain; charset=utf-8'
  const retryAfter: Record<string, string> =
    fault.retryAfterDateMs === undefined
      ? {}
      : { 'retry-after': new Date(Date.now() + fault.retryAfterDateMs).toUTCString() }
  send(response, fault.status, body, {
    'content-type': contentType,
    ...retryAfter,
    ...lowerCaseKeys(fault.headers ?? {})
  })
}

// Answers marked by a `cutAfterBytes` fault: the head (with the whole answer's length) and the first
// bytes go out, then the connection is dropped or left silent, as a broken or stuck transfer would.
const cutOff = new WeakMap<ServerResponse, { cutAfterBytes: number; then: 'drop' | 'stall' }>()

function sendFile(response: ServerResponse, path: string): void {
  if (response.headersSent || response.destroyed) return
  response.writeHead(200, {
    'content-length': String(statSync(path).size),
    'content-type': 'application/xml'
  })
  createReadStream(path)
    .on('error', () => response.destroy())
    .pipe(response)
}

function sendMessage(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {}
) {
  sendJson(response, status, { message }, headers)
}

function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {}
) {
  send(response, status, JSON.stringify(value), { 'content-type': 'application/json', ...headers })
}

// Header names are lower-cased before merging: writeHead would send both `Content-Type` and `content-type`.
function send(response: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  if (response.headersSent || response.destroyed) return
  response.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...lowerCaseKeys(headers) })
  const cut = cutOff.get(response)
  if (!cut) return void response.end(body)
  response.write(Buffer.from(body).subarray(0, cut.cutAfterBytes))
  if (cut.then === 'drop') response.socket?.destroySoon()
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
}
