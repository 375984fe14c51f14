import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, get } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderJunitReport } from '../simulator/junit.js'
import { DEMO_FINDINGS, startSimulator } from '../simulator/webhook-api.js'
import type { Simulator, TargetScenario } from '../simulator/webhook-api.js'

interface ApiBody {
  message: string
  data?: { scanId?: number; status?: Record<string, number> }
}

let simulator: Simulator | undefined

afterEach(async () => {
  await simulator?.close()
  simulator = undefined
})

async function simulate(scenario: TargetScenario = {}, webhook = 'hook'): Promise<Simulator> {
  simulator = await startSimulator({ targets: { [webhook]: scenario } })
  return simulator
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

function startScan(sim: Simulator, webhook = 'hook', body?: string): Promise<Response> {
  return fetch(`${sim.url}/${webhook}`, { method: 'POST', body })
}

function getStatus(sim: Simulator, scanId: number | string, webhook = 'hook'): Promise<Response> {
  return fetch(`${sim.url}/${webhook}/scans/${scanId}/status`)
}

function getReport(sim: Simulator, scanId: number | string, webhook = 'hook'): Promise<Response> {
  return fetch(`${sim.url}/${webhook}/scans/${scanId}/report/junit`)
}

async function bodyOf(response: Response): Promise<ApiBody> {
  return (await response.json()) as ApiBody
}

async function startedScanId(sim: Simulator, webhook = 'hook'): Promise<number> {
  const response = await startScan(sim, webhook)
  expect(response.status).toBe(200)
  const scanId = (await bodyOf(response)).data?.scanId
  expect(typeof scanId).toBe('number')
  return scanId as number
}

async function statusCode(sim: Simulator, scanId: number, key = 'status_code'): Promise<number | undefined> {
  const response = await getStatus(sim, scanId)
  expect(response.status).toBe(200)
  return (await bodyOf(response)).data?.status?.[key]
}

function occurrences(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0
}

describe('starting a scan and following its status', () => {
  it('answers webhook_scan_started, then reports queued, running and finished as time passes', async () => {
    const sim = await simulate({ queuedMs: 200, runningMs: 200 })
    const response = await startScan(sim)
    // Measured from the answer: the first request of a process can take long to be sent.
    const startedAt = Date.now()
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await bodyOf(response)).toEqual({ message: 'webhook_scan_started', data: { scanId: 1001 } })

    expect(await statusCode(sim, 1001)).toBe(100)
    await sleep(300 - (Date.now() - startedAt))
    expect(await statusCode(sim, 1001)).toBe(101)
    await sleep(500 - (Date.now() - startedAt))
    expect(await statusCode(sim, 1001)).toBe(200)
  })

  it('counts scan ids up from 1001 across all targets', async () => {
    simulator = await startSimulator({ targets: { a: {}, b: {} } })
    expect(await startedScanId(simulator, 'a')).toBe(1001)
    expect(await startedScanId(simulator, 'b')).toBe(1002)
    expect(await startedScanId(simulator, 'a')).toBe(1003)
  })

  it('puts the code under data.status.code when statusKey is code, with the configured finished code', async () => {
    const sim = await simulate({ statusKey: 'code', finishedStatusCode: 302 })
    const scanId = await startedScanId(sim)
    const body = await bodyOf(await getStatus(sim, scanId))
    expect(body.data?.status).toEqual({ code: 302 })
  })

  it('accepts an empty body and a JSON payload, and refuses a body that is not JSON', async () => {
    const sim = await simulate()
    const json = (body: string) =>
      fetch(`${sim.url}/hook`, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
    expect((await startScan(sim, 'hook', '')).status).toBe(200)
    expect((await json('{"specs":{"api_spec":{"swagger":"2.0"}}}')).status).toBe(200)
    const refused = await json('{not json')
    expect(refused.status).toBe(400)
    expect((await bodyOf(refused)).message).toMatch(/JSON/)
  })

  it('answers "Scan is already running" to the first N starts, then starts the scan', async () => {
    const sim = await simulate({ alreadyRunning: 2 })
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await startScan(sim)
      expect(response.status).toBe(409)
      expect(await bodyOf(response)).toEqual({ message: 'Scan is already running' })
    }
    expect(await startedScanId(sim)).toBe(1001)
  })

  it('uses alreadyRunningHttpStatus and allows a scan that never stops running', async () => {
    const sim = await simulate({ alreadyRunning: Infinity, alreadyRunningHttpStatus: 200 })
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await startScan(sim)
      expect(response.status).toBe(200)
      expect((await bodyOf(response)).message).toBe('Scan is already running')
    }
  })
})

describe('the JUnit report', () => {
  it('serves the demo findings in the shape of the real report once the scan finished', async () => {
    const sim = await simulate()
    const scanId = await startedScanId(sim)
    const response = await getReport(sim, scanId)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/xml')
    const xml = await response.text()

    const tests = DEMO_FINDINGS.length + 6
    expect(
      xml.startsWith(`<testsuites name="" tests="${tests}" disabled="0" errors="1" failures="8" time="0">`)
    ).toBe(true)
    expect(xml).not.toContain('<?xml')
    expect(xml).toContain(
      `<testsuite name="Crashtest Security Suite" tests="${tests}" disabled="0" errors="1" failures="8" skipped="1" time="0">`
    )
    expect(occurrences(xml, /<testcase /g)).toBe(tests)
    expect(occurrences(xml, /<failure /g)).toBe(DEMO_FINDINGS.length)
    expect(xml).toContain(
      '<failure message="TLS 1.1 is offered by the server demo.example.test:443" type="high"/>'
    )
    expect(xml).toContain('type="error"/>')
    expect(xml).toContain('type="skipped"/>')
    expect(xml.trimEnd().endsWith('</testsuite>\n</testsuites>')).toBe(true)
  })

  it('answers 400 "Report not ready" before the scan finished', async () => {
    const sim = await simulate({ runningMs: 5000 })
    const scanId = await startedScanId(sim)
    const response = await getReport(sim, scanId)
    expect(response.status).toBe(400)
    expect(await bodyOf(response)).toEqual({ message: 'Report not ready' })
  })

  it('refuses the first reportNotReady report requests after the scan finished', async () => {
    const sim = await simulate({ reportNotReady: 2 })
    const scanId = await startedScanId(sim)
    expect((await getReport(sim, scanId)).status).toBe(400)
    expect((await getReport(sim, scanId)).status).toBe(400)
    expect((await getReport(sim, scanId)).status).toBe(200)
    expect((await getReport(sim, scanId)).status).toBe(200)
  })

  it('serves reportBody as it is', async () => {
    const sim = await simulate({ reportBody: '<testsuites><testcase' })
    const scanId = await startedScanId(sim)
    expect(await (await getReport(sim, scanId)).text()).toBe('<testsuites><testcase')
  })

  it('numbers testcases with a running counter and varies the scanners of passed checks', () => {
    const xml = renderJunitReport([{ scanner: 'xss', title: 'XSS', severity: 'high', message: 'm' }], 3, 42)
    expect(xml).toContain('<testcase classname="xss.crashtest.cloud" name="XSS (1)">')
    expect(occurrences(xml, / name="[^"]* \(\d+\)"/g)).toBe(4)
    expect(xml).toMatch(/ name="[^"]* \(4\)"\/>/)
    const scanners = new Set(xml.match(/classname="[^"]+"/g))
    expect(scanners.size).toBeGreaterThanOrEqual(3)
    expect(xml).toContain('time="42"')
  })

  it('writes severities as given and counts errors and skipped checks apart from failures', () => {
    const severities = ['HIGH', 'error', 'skipped', 'weird', 'critical']
    const findings = severities.map(severity => ({ scanner: 's', title: 't', severity, message: 'm' }))
    const xml = renderJunitReport(findings, 0)
    for (const severity of severities) expect(xml).toContain(`type="${severity}"/>`)
    expect(xml).toContain('<testsuites name="" tests="5" disabled="0" errors="1" failures="3" time="0">')
    expect(xml).toContain('errors="1" failures="3" skipped="1" time="0">')
  })

  it('escapes attribute values, including control characters', () => {
    const finding = {
      scanner: 'x"ss',
      title: 'A & B <C>',
      severity: "it's",
      message: 'line1\nline2\ttab\r\u0001\u001f end'
    }
    const xml = renderJunitReport([finding], 0)
    expect(xml).toContain('classname="x&quot;ss.crashtest.cloud" name="A &amp; B &lt;C&gt; (1)"')
    expect(xml).toContain('message="line1&#10;line2&#9;tab&#13;\uFFFD\uFFFD end" type="it&apos;s"/>')
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/) // eslint-disable-line no-control-regex
  })

  it('renders an empty report and rejects a negative number of passed checks', () => {
    expect(renderJunitReport([], 0)).toContain('tests="0" disabled="0" errors="0" failures="0" skipped="0"')
    expect(() => renderJunitReport([], -1)).toThrow(RangeError)
  })
})

describe('faults', () => {
  it('consumes the faults of each endpoint in order, one per request, before normal handling', async () => {
    const sim = await simulate({
      faults: {
        start: [{ status: 503, body: 'busy', headers: { 'Retry-After': '2' } }],
        status: [{ drop: true }, { delayMs: 150 }, { status: 502 }]
      }
    })
    const busy = await startScan(sim)
    expect(busy.status).toBe(503)
    expect(busy.headers.get('retry-after')).toBe('2')
    expect(await busy.text()).toBe('busy')
    const scanId = await startedScanId(sim)

    await expect(getStatus(sim, scanId)).rejects.toThrow()
    const before = Date.now()
    expect(await statusCode(sim, scanId)).toBe(200)
    expect(Date.now() - before).toBeGreaterThanOrEqual(140)
    const badGateway = await getStatus(sim, scanId)
    expect(badGateway.status).toBe(502)
    expect(await bodyOf(badGateway)).toEqual({ message: 'Bad Gateway' })
    expect(await statusCode(sim, scanId)).toBe(200)
    expect((await getReport(sim, scanId)).status).toBe(200)
  })

  it('lets a fault answer for a scan that does not exist, since faults come before the lookup', async () => {
    const sim = await simulate({ faults: { report: [{ status: 500 }] } })
    expect((await getReport(sim, 999)).status).toBe(500)
    expect((await getReport(sim, 999)).status).toBe(404)
  })

  it('does not change the caller scenario when consuming faults', async () => {
    const scenario: TargetScenario = { faults: { start: [{ status: 500 }] } }
    const sim = await simulate(scenario)
    expect((await startScan(sim)).status).toBe(500)
    expect(scenario.faults?.start).toHaveLength(1)
  })
})

describe('errors and routing', () => {
  it('answers 404 Webhook not found for an unknown webhook', async () => {
    const sim = await simulate()
    const response = await startScan(sim, 'nope')
    expect(response.status).toBe(404)
    expect(await bodyOf(response)).toEqual({ message: 'Webhook not found' })
    expect((await getStatus(sim, 1001, 'nope')).status).toBe(404)
  })

  it('answers 404 Scan not found for a scan id the webhook does not know', async () => {
    simulator = await startSimulator({ targets: { hook: {}, other: {} } })
    const scanOfOther = await startedScanId(simulator, 'other')
    for (const scanId of [4242, scanOfOther, 'abc']) {
      const response = await getStatus(simulator, scanId)
      expect(response.status).toBe(404)
      expect(await bodyOf(response)).toEqual({ message: 'Scan not found' })
    }
    expect(await bodyOf(await getReport(simulator, 4242))).toEqual({ message: 'Scan not found' })
  })

  it('answers 405 to a wrong method and 404 to any other path, with JSON messages', async () => {
    const sim = await simulate()
    const wrongMethod = await fetch(`${sim.url}/hook`)
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('allow')).toBe('POST')
    expect((await bodyOf(wrongMethod)).message).toBeTruthy()
    expect((await fetch(`${sim.url}/hook/scans/1001/status`, { method: 'POST' })).status).toBe(405)
    for (const path of ['/', '/webhook', '/webhook/hook/scans/1001', '/webhook/hook/scans/1001/report/pdf']) {
      const response = await fetch(`http://127.0.0.1:${sim.port}${path}`)
      expect(response.status).toBe(404)
      expect(typeof (await bodyOf(response)).message).toBe('string')
    }
  })

  it('serves the same API under the Veracode DAST Essentials prefix', async () => {
    const sim = await simulate()
    const base = `http://127.0.0.1:${sim.port}/dae/api/core-api/webhook/hook`
    const started = await bodyOf(await fetch(base, { method: 'POST' }))
    expect(started.data?.scanId).toBe(1001)
    expect((await bodyOf(await fetch(`${base}/scans/1001/status`))).data?.status).toEqual({
      status_code: 200
    })
    expect((await fetch(`${base}/scans/1001/report/junit`)).status).toBe(200)
  })

  it('serves targets added after start', async () => {
    simulator = await startSimulator()
    expect(simulator.url).toBe(`http://127.0.0.1:${simulator.port}/webhook`)
    simulator.addTarget('late')
    expect(await startedScanId(simulator, 'late')).toBe(1001)
  })
})

describe('request recording and shutdown', () => {
  it('records every request in arrival order, with method, path, headers and body', async () => {
    const sim = await simulate({ faults: { status: [{ status: 503 }] } })
    const before = Date.now()
    await startScan(sim, 'hook', '{"a":1}')
    await getStatus(sim, 1001)
    await fetch(`${sim.url}/unknown/scans/1/status?x=1`)
    expect(sim.requests.map(request => [request.method, request.path, request.body])).toEqual([
      ['POST', '/webhook/hook', '{"a":1}'],
      ['GET', '/webhook/hook/scans/1001/status', ''],
      ['GET', '/webhook/unknown/scans/1/status?x=1', '']
    ])
    expect(sim.requests[0]?.headers['content-type']).toMatch(/^text\/plain/)
    expect(sim.requests[0]?.at).toBeGreaterThanOrEqual(before)
  })

  it('closes promptly while a keep-alive connection is open', async () => {
    const sim = await simulate()
    const agent = new Agent({ keepAlive: true })
    try {
      await new Promise<void>((resolve, reject) => {
        get(`${sim.url}/hook/scans/1/status`, { agent }, response => {
          response.resume()
          response.on('end', resolve)
        }).on('error', reject)
      })
      expect(agent.freeSockets).not.toEqual({})
      const before = Date.now()
      await sim.close()
      expect(Date.now() - before).toBeLessThan(1000)
    } finally {
      agent.destroy()
    }
  })

  it('closes promptly while a delayed answer is pending', async () => {
    const sim = await simulate({ faults: { start: [{ delayMs: 60_000 }] } })
    const outcome = startScan(sim).then(
      () => 'answered',
      () => 'connection closed'
    )
    await sleep(50)
    const before = Date.now()
    await sim.close()
    expect(Date.now() - before).toBeLessThan(1000)
    expect(await outcome).toBe('connection closed')
  })
})

describe('faults for the reliability suite', () => {
  it('sends Retry-After as an HTTP date the given time after the answer', async () => {
    const sim = await simulate({ faults: { start: [{ status: 429, retryAfterDateMs: 5000 }] } })
    const response = await startScan(sim)
    expect(response.status).toBe(429)
    const ahead = Date.parse(response.headers.get('retry-after') ?? '') - Date.now()
    expect(ahead).toBeGreaterThan(3000)
    expect(ahead).toBeLessThanOrEqual(5000)
  })

  it('cuts the real answer off after some bytes, dropping the connection', async () => {
    const sim = await simulate({ faults: { report: [{ cutAfterBytes: 100, then: 'drop' }] } })
    const scanId = await startedScanId(sim)
    const response = await getReport(sim, scanId)
    expect(response.status).toBe(200)
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(100)
    await expect(response.text()).rejects.toThrow()
    expect(await (await getReport(sim, scanId)).text()).toContain('<testsuites')
  })

  it('cuts the real answer off after some bytes, then stays silent', async () => {
    const sim = await simulate({ faults: { report: [{ cutAfterBytes: 100, then: 'stall' }] } })
    const scanId = await startedScanId(sim)
    const response = await getReport(sim, scanId)
    const reader = response.body?.getReader()
    const first = await reader?.read()
    expect(first?.value?.length).toBe(100)
    const next = await Promise.race([reader?.read().then(() => 'data'), sleep(300).then(() => 'silence')])
    expect(next).toBe('silence')
  })

  it('serves the report from a file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'simulator-'))
    try {
      const path = join(folder, 'report.xml')
      writeFileSync(path, '<testsuites name="from a file"/>')
      const sim = await simulate({ reportFile: path })
      const response = await getReport(sim, await startedScanId(sim))
      expect(response.headers.get('content-length')).toBe('32')
      expect(await response.text()).toBe('<testsuites name="from a file"/>')
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
