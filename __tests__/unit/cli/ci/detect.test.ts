import { describe, expect, it } from '@jest/globals'
import { detectCi } from '../../../../src/cli/ci/detect.js'

describe('detectCi', () => {
  it.each([
    [{ TEAMCITY_VERSION: '2025.11 (build 1)' }, 'teamcity'],
    [{ TF_BUILD: 'True' }, 'azure'],
    [{ TF_BUILD: 'true' }, 'azure'],
    [{ TF_BUILD: 'TRUE' }, 'azure'],
    [{ GITLAB_CI: 'true' }, 'gitlab'],
    [{ GITHUB_ACTIONS: 'true' }, 'github'],
    [{}, 'other'],
    [{ TF_BUILD: 'False', GITLAB_CI: 'false', GITHUB_ACTIONS: 'false', TEAMCITY_VERSION: '' }, 'other'],
    [{ TF_BUILD: undefined, CI: 'true' }, 'other']
  ] as const)('reads %j as %s', (env, expected) => {
    expect(detectCi(env)).toBe(expected)
  })

  it('prefers TeamCity, then Azure, then GitLab, then GitHub when variables of several are set', () => {
    const all = { TEAMCITY_VERSION: '1', TF_BUILD: 'True', GITLAB_CI: 'true', GITHUB_ACTIONS: 'true' }
    expect(detectCi(all)).toBe('teamcity')
    expect(detectCi({ ...all, TEAMCITY_VERSION: undefined })).toBe('azure')
    expect(detectCi({ ...all, TEAMCITY_VERSION: undefined, TF_BUILD: undefined })).toBe('gitlab')
  })
})
