import { describe, expect, it } from '@jest/globals'
import { sectionEnd, sectionStart } from '../../../../src/cli/ci/gitlab.js'

const now = new Date('2025-06-01T12:00:00.999Z')
const seconds = 1748779200

describe('GitLab sections', () => {
  it('opens a collapsed section by default', () => {
    expect(sectionStart('crashtest_scan', 'Crashtest scan', now)).toBe(
      `\u001b[0Ksection_start:${seconds}:crashtest_scan[collapsed=true]\r\u001b[0KCrashtest scan`
    )
  })

  it('opens an expanded section on request', () => {
    expect(sectionStart('scan.v1-a', 'Scan', now, false)).toBe(
      `\u001b[0Ksection_start:${seconds}:scan.v1-a\r\u001b[0KScan`
    )
  })

  it('closes a section', () => {
    expect(sectionEnd('crashtest_scan', now)).toBe(
      `\u001b[0Ksection_end:${seconds}:crashtest_scan\r\u001b[0K`
    )
  })

  it('puts the title on one line with no control character', () => {
    const line = sectionStart('s', 'Title\nsecond\r\u001b[31mred\u2028end', now)
    const title = line.slice(line.lastIndexOf('\u001b[0K') + '\u001b[0K'.length)
    expect(title).toBe('Title second [31mred end')
  })

  it('refuses ids GitLab would not read', () => {
    for (const id of ['', 'with space', 'a:b', 'a[collapsed=true]', 'ü', 'a\rb']) {
      expect(() => sectionStart(id, 't', now)).toThrow(RangeError)
      expect(() => sectionEnd(id, now)).toThrow(RangeError)
    }
  })

  it('refuses an invalid date', () => {
    expect(() => sectionEnd('s', new Date(Number.NaN))).toThrow(RangeError)
  })
})
