// What the action does when the service or the report misbehaves: retries where a retry is safe, and
// otherwise a failed step with result `error` that says what happened. Never green by accident.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { failureMessage, runScenario } from './fixtures.js'

describe('transient faults are retried', () => {
  it('retries 503 and 429 on start, 5xx and dropped connections on status, and a report not ready', async () => {
    const run = await runScenario({
      target: {
        faults: {
          start: [{ status: 503 }, { status: 429, headers: { 'retry-after': '1' } }],
          status: [{ status: 500 }, { drop: true }, { status: 200, body: 'not json' }, { status: 502 }],
          report: [{ status: 503 }]
        },
        reportNotReady: 1
      },
      inputs: { 'fail-on': 'never' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'passed', 'scan-id': '1001', findings: '8' })
    expect(run.count('start')).toBe(3)
    expect(run.count('status')).toBeGreaterThanOrEqual(5)
    expect(run.count('report')).toBe(3)
    expect(run.stdout).toContain('The start request answered HTTP 503')
    expect(run.stdout).toContain('The start request answered HTTP 429')
    expect(run.stdout).toContain('The status request answered HTTP 500: Internal Server Error (1 in a row)')
    expect(run.stdout).toContain('(the report is not ready yet)')
  })

  it('reads the status code where the early API put it (data.status.code)', async () => {
    const run = await runScenario({
      target: { statusKey: 'code', finishedStatusCode: 102 },
      inputs: { 'fail-on': 'never' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'passed', 'status-code': '102' })
  })
})

describe('faults that end the run', () => {
  it('a start that fails with 500 is not retried and says a scan may have started', async () => {
    const run = await runScenario({
      target: { faults: { start: [{ status: 500, body: '{"message":"boom"}' }] } }
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(run.count('start')).toBe(1)
    const message = failureMessage(run)
    expect(message).toContain('The start request answered HTTP 500: boom')
    expect(message).toContain('A scan may have started')
  })

  it('a status endpoint that fails ten times in a row ends the run', async () => {
    const run = await runScenario({
      target: { faults: { status: Array.from({ length: 12 }, () => ({ status: 500 })) } }
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({ result: 'error', 'scan-id': '1001' })
    expect(run.count('status')).toBe(10)
    expect(run.count('report')).toBe(0)
    expect(failureMessage(run)).toContain('could not be read 10 times in a row')
  })

  it('a 4xx status answer ends the run with the HTTP status and the message', async () => {
    const run = await runScenario({
      target: { faults: { status: [{ status: 403, body: '{"message":"Forbidden for this scan"}' }] } }
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(run.count('status')).toBe(1)
    expect(failureMessage(run)).toContain('The status request answered HTTP 403: Forbidden for this scan')
  })

  it('a report that is not valid XML is result error, and the report stays on disk and in the artifact', async () => {
    const body = '<testsuites><testsuite name="Crashtest Security Suite"><testcase classname="xss'
    const run = await runScenario({ target: { reportBody: body } })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    const reportPath = join(run.workspace, 'crashtest-report.xml')
    expect(run.outputs['report-path']).toBe(reportPath)
    expect(readFileSync(reportPath, 'utf8')).toBe(body)
    expect(run.artifacts[0]?.files['crashtest-report.xml']?.toString()).toBe(body)
    expect(failureMessage(run)).toMatch(/The report is not well-formed XML.*kept at/s)
    expect(run.outputs.findings).toBeUndefined()
  })

  it('a report that is not JUnit is result error', async () => {
    const run = await runScenario({ target: { reportBody: '<html><body>Maintenance</body></html>' } })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    expect(failureMessage(run)).toContain('its root element is <html>')
  })
})
