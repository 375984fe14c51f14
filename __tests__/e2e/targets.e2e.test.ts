// Several targets in one step, scanned side by side, and a scan followed by id instead of started.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Log } from 'sarif'
import { sarifSchemaProblems } from '../fixtures/sarif-schema.js'
import { failureMessage, runScenario, WEBHOOK } from './fixtures.js'

const SHOP = 'wh-shop-2b71f0'
const API = 'wh-api-93cd14'
const ADMIN = 'wh-admin-5e08aa'
const HIGH = {
  scanner: 'xss',
  title: 'Cross-Site Scripting',
  severity: 'high',
  message: 'https://shop.test/q'
}
const LOW = { scanner: 'cookies', title: 'Cookie Security', severity: 'low', message: 'https://api.test/' }
const MEDIUM = {
  scanner: 'headers',
  title: 'HTTP Security Headers',
  severity: 'medium',
  message: 'https://admin.test/'
}
const INFO = {
  scanner: 'portscan',
  title: 'Portscan',
  severity: 'info',
  message: 'Port 22 open on admin.test'
}

const FOUR_SECONDS = { queuedMs: 0, runningMs: 4000 }

interface TargetOutput {
  name: string
  'scan-id'?: string
  result: string
  'report-path'?: string
  findings?: number
  high?: number
}

describe('several targets in one step', () => {
  it('scans three targets side by side, keeps each report under its name and judges each', async () => {
    const run = await runScenario({
      targets: {
        [SHOP]: { ...FOUR_SECONDS, findings: [HIGH] },
        [API]: { ...FOUR_SECONDS, findings: [LOW] },
        [ADMIN]: { ...FOUR_SECONDS, findings: [MEDIUM, INFO] }
      },
      inputs: { webhook: `shop: ${SHOP}\napi: ${API}\nadmin: ${ADMIN}`, 'sarif-path': 'dast.sarif' }
    })
    // Three scans of 4 s each: one after another would take 12 s and more.
    expect(run.durationMs).toBeLessThan(9000)
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('failed')
    for (const name of ['shop', 'api', 'admin']) {
      expect(existsSync(join(run.workspace, `crashtest-report-${name}.xml`))).toBe(true)
      expect(existsSync(join(run.workspace, `crashtest-report-${name}.findings.json`))).toBe(true)
    }
    expect(readFileSync(join(run.workspace, 'crashtest-report-admin.xml'), 'utf8')).toContain('Portscan')

    const targets = JSON.parse(run.outputs.targets ?? '[]') as TargetOutput[]
    expect(targets.map(t => [t.name, t.result, t.findings, t.high])).toEqual([
      ['shop', 'failed', 1, 1],
      ['api', 'passed', 1, 0],
      ['admin', 'passed', 2, 0]
    ])
    expect(targets.map(t => t['report-path'])).toEqual(
      ['shop', 'api', 'admin'].map(name => join(run.workspace, `crashtest-report-${name}.xml`))
    )
    expect(run.outputs.findings).toBe('4')
    expect([run.outputs.high, run.outputs.medium, run.outputs.low, run.outputs.info]).toEqual([
      '1',
      '1',
      '1',
      '1'
    ])
    expect(run.outputs['scan-id']).toBe(targets.map(t => `${t.name}: ${t['scan-id']}`).join('\n'))
    expect(failureMessage(run)).toContain('shop: fail-on: high')

    for (const name of ['shop', 'api', 'admin']) expect(run.summary).toContain(`### ${name}: `)
    expect(run.summary).toContain('## ❌ Crashtest DAST scan failed')

    const sarif = JSON.parse(readFileSync(join(run.workspace, 'dast.sarif'), 'utf8')) as Log
    expect(sarifSchemaProblems(sarif)).toEqual([])
    expect(sarif.runs.map(r => r.automationDetails?.id)).toEqual([
      'crashtest-dast/shop/',
      'crashtest-dast/api/',
      'crashtest-dast/admin/'
    ])
    expect(sarif.runs.map(r => r.results?.length)).toEqual([1, 1, 2])

    // One artifact with every report.
    expect(run.artifacts).toHaveLength(1)
    expect(Object.keys(run.artifacts[0]?.files ?? {}).sort()).toEqual(
      [
        'crashtest-report-admin.findings.json',
        'crashtest-report-admin.xml',
        'crashtest-report-api.findings.json',
        'crashtest-report-api.xml',
        'crashtest-report-shop.findings.json',
        'crashtest-report-shop.xml',
        'dast.sarif'
      ].sort()
    )
  })

  it('gives error for a target whose webhook is unknown, and still judges and keeps the others', async () => {
    const run = await runScenario({
      targets: { [SHOP]: { runningMs: 500, findings: [HIGH] }, [API]: { runningMs: 500, findings: [LOW] } },
      secrets: ['wh-not-registered-77'],
      inputs: { webhook: `${SHOP}\n${API}\nwh-not-registered-77` }
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.result).toBe('error')
    const targets = JSON.parse(run.outputs.targets ?? '[]') as TargetOutput[]
    expect(targets.map(t => [t.name, t.result])).toEqual([
      ['target-1', 'failed'],
      ['target-2', 'passed'],
      ['target-3', 'error']
    ])
    expect(existsSync(join(run.workspace, 'crashtest-report-target-1.xml'))).toBe(true)
    expect(existsSync(join(run.workspace, 'crashtest-report-target-2.xml'))).toBe(true)
    expect(failureMessage(run)).toContain(
      'target-3: Could not start the scan: The start request answered HTTP 404: Webhook not found.'
    )
    expect(run.summary).toContain('### target-1: ❌ failed')
    expect(run.summary).toContain('### target-3: ⚠️ could not be completed')
  })

  it('runs no more scans at once than max-parallel', async () => {
    const run = await runScenario({
      targets: { [SHOP]: { runningMs: 1500 }, [API]: { runningMs: 1500 } },
      inputs: { webhook: `shop: ${SHOP}\napi: ${API}`, 'max-parallel': '1', 'fail-on': 'never' }
    })
    expect(run.outputs.result).toBe('passed')
    const starts = run.requests.filter(r => r.method === 'POST')
    const reports = run.requests.filter(r => r.path.endsWith('/report/junit'))
    expect(starts).toHaveLength(2)
    // The second scan starts only once the first one's report is in.
    expect(starts[1]!.at).toBeGreaterThanOrEqual(reports[0]!.at)
  })

  it('refuses two targets of one name and a scan id for a target it does not name, before any request', async () => {
    const run = await runScenario({
      inputs: { webhook: `shop: ${SHOP}\nshop: ${API}`, 'scan-id': 'admin: 17' },
      secrets: [SHOP, API]
    })
    expect(run.exitCode).toBe(1)
    expect(run.requests).toHaveLength(0)
    const message = failureMessage(run)
    expect(message).toContain("'webhook' names the target 'shop' more than once")
    expect(message).toContain("'scan-id' line 1 names the target 'admin', which 'webhook' does not name")
  })
})

describe('following a scan started earlier', () => {
  it('waits for, fetches and judges the scan with that id, and starts none', async () => {
    let scanId = ''
    const run = await runScenario({
      target: { runningMs: 1500, findings: [LOW] },
      // The scan a deploy job started (wait: false), outside this step.
      before: async simulator => {
        const answer = await fetch(`${simulator.url}/${WEBHOOK}`, { method: 'POST' })
        scanId = String(((await answer.json()) as { data: { scanId: unknown } }).data.scanId)
        simulator.requests.length = 0
        return { 'scan-id': scanId }
      }
    })
    expect(scanId).not.toBe('')
    expect(run.outputs.result).toBe('passed')
    expect(run.outputs['scan-id']).toBe(scanId)
    expect(run.count('start')).toBe(0)
    expect(run.count('status')).toBeGreaterThan(0)
    expect(run.count('report')).toBe(1)
    expect(run.stdout).toContain(`Following scan ${scanId}, started earlier: no scan is started.`)
  })
})
