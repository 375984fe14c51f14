import { describe, expect, it } from '@jest/globals'
import { Cancelled, noteCancellation, untilAborted } from '../../src/engine/run/cancellation.js'
import type { TargetOutcome } from '../../src/engine/run/outcome.js'

describe('a cancelled run', () => {
  /** What noteCancellation makes of a target that got this far when SIGINT came. */
  function describeCancellation(reason: Cancelled, facts: Partial<TargetOutcome>): string | undefined {
    const controller = new AbortController()
    controller.abort(reason)
    const outcome = { name: '', result: 'passed', ...facts } as TargetOutcome
    noteCancellation(outcome, controller.signal)
    expect(outcome.result).toBe('error')
    return outcome.message
  }
  const reason = new Cancelled('SIGINT')

  it('before a scan was confirmed, says a scan may be running', () => {
    expect(describeCancellation(reason, {})).toBe(
      'The run was cancelled (SIGINT) before the service confirmed a scan. If the start request reached it, a scan may be running: check the target in the Crashtest dashboard.'
    )
  })

  it('while the scan runs, names it and says it keeps running', () => {
    const text = describeCancellation(reason, { scanId: '7', statusCode: 100 })
    expect(text).toContain('while waiting for scan 7 (last status 100)')
    expect(text).toContain('Scan 7 keeps running on the service')
  })

  it('once the scan finished, points to the dashboard for the report', () => {
    const text = describeCancellation(reason, { scanId: '7', statusCode: 200 })
    expect(text).toContain('Scan 7 has finished: its report can be downloaded from the Crashtest dashboard')
    expect(text).not.toContain('keeps running')
  })

  it('with the report on disk, says where it is kept', () => {
    const text = describeCancellation(reason, { scanId: '7', reportPath: '/w/r.xml' })
    expect(text).toContain('the report is kept at /w/r.xml')
  })
})

describe('untilAborted', () => {
  it('settles with the work when no abort comes', async () => {
    await expect(untilAborted(Promise.resolve(3), new AbortController().signal)).resolves.toBe(3)
    await expect(untilAborted(Promise.reject(new Error('no')), new AbortController().signal)).rejects.toThrow(
      'no'
    )
  })

  it('rejects with the reason as soon as the signal aborts, without waiting for the work', async () => {
    const controller = new AbortController()
    const never = new Promise<never>(() => undefined)
    const waiting = untilAborted(never, controller.signal)
    controller.abort(new Cancelled('SIGTERM'))
    await expect(waiting).rejects.toBeInstanceOf(Cancelled)
  })

  it('rejects at once when the signal has already aborted', async () => {
    const controller = new AbortController()
    controller.abort(new Cancelled('SIGINT'))
    await expect(untilAborted(Promise.resolve(1), controller.signal)).rejects.toBeInstanceOf(Cancelled)
  })
})
