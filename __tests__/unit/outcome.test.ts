// One place decides what a result does to the build, for the action and the command alike.
import { describe, expect, it } from '@jest/globals'
import { conclusionOf, worstResult, type Result } from '../../src/engine/run/outcome.js'

describe('conclusionOf', () => {
  it.each<[Result, 'fail' | 'warn', string]>([
    ['passed', 'fail', 'pass'],
    ['started', 'fail', 'pass'],
    ['failed', 'warn', 'fail'],
    ['error', 'warn', 'fail'],
    ['timeout', 'fail', 'fail'],
    ['timeout', 'warn', 'warn']
  ])('%s with on-timeout %s: %s', (result, onTimeout, conclusion) => {
    expect(conclusionOf(result, onTimeout)).toBe(conclusion)
  })
})

describe('worstResult', () => {
  it('puts error before timeout before failed before started before passed', () => {
    expect(worstResult(['passed', 'timeout', 'failed'])).toBe('timeout')
    expect(worstResult(['started', 'passed'])).toBe('started')
    expect(worstResult([])).toBe('error')
  })
})
