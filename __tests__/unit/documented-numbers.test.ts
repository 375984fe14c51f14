// The scan id and the status code as the webhook client reads them from the service's answers, served by
// the simulator over HTTP.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { WebhookClient } from '../../src/engine/api/webhook-client.js'
import { startSimulator, type Simulator } from '../../simulator/webhook-api.js'

let simulator: Simulator
beforeAll(async () => (simulator = await startSimulator()))
afterAll(() => simulator.close())

let targets = 0
/** A client of a target whose answer to `endpoint` is `data` as given, in an HTTP 200. */
function clientAnswering(endpoint: 'start' | 'status', data: unknown): WebhookClient {
  const webhook = `numbers-${++targets}`
  simulator.addTarget(webhook, { faults: { [endpoint]: [{ status: 200, body: JSON.stringify({ data }) }] } })
  return new WebhookClient({ baseUrl: simulator.url, webhook }, 5000, { option: (name: string) => name })
}

const statusOf = (code: unknown): Promise<number> =>
  clientAnswering('status', { status: { status_code: code } }).getStatus('1')

describe('the status code', () => {
  it.each([
    [102, 102],
    ['102', 102],
    ['0', 0],
    [101.5, 101.5]
  ])('reads %j as %j', async (value, expected) => expect(await statusOf(value)).toBe(expected))

  it.each([[' 102'], ['102 '], ['1e2'], ['-1'], ['0x66'], [''], ['done'], [null], [true], [[102]]])(
    'leaves %j unread',
    async value => await expect(statusOf(value)).rejects.toThrow('without a status code')
  )
})

describe('the scan id', () => {
  const started = (scanId: unknown) => clientAnswering('start', { scanId }).startScan()

  it('is a whole JSON number or a string of digits, kept as given', async () => {
    expect(await started(4711)).toEqual({ kind: 'started', scanId: '4711' })
    expect(await started('004711')).toEqual({ kind: 'started', scanId: '004711' })
    for (const value of [4711.5, -1, '47a', '', ' 47', null, { id: 1 }]) {
      await expect(started(value)).rejects.toThrow('without a scan id')
    }
  })
})
