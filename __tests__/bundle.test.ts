// The bundle keeps undici out of dist/index.js (tsconfig.json maps it to src/lazy/undici.cjs, which loads
// dist/undici/index.cjs on first use). These checks run on the committed bundle: build it first
// (npm run package).
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'

const DIST = fileURLToPath(new URL('../dist/', import.meta.url))
const SHIM = fileURLToPath(new URL('../src/lazy/undici.cjs', import.meta.url))
// A class only undici defines: where its code is, this is.
const UNDICI_CODE = 'class ProxyAgent extends DispatcherBase'

describe('undici is bundled on its own and loaded on first use', () => {
  it('is not in the bundle that every start loads, and is in dist/undici/', () => {
    expect(readFileSync(`${DIST}index.js`, 'utf8')).not.toContain(UNDICI_CODE)
    expect(readFileSync(`${DIST}index.js`, 'utf8')).toContain("'./undici/index.cjs'")
    expect(readFileSync(`${DIST}undici/index.cjs`, 'utf8')).toContain(UNDICI_CODE)
    expect(readFileSync(`${DIST}undici/licenses.txt`, 'utf8')).toContain('undici')
  })

  it('loads nothing until an export is used, then forwards undici’s exports unchanged', () => {
    // Outside Jest, so that require() and its cache are Node's own. __non_webpack_require__ is what ncc
    // turns into a require() relative to the bundle; here it is given the same meaning.
    const script = `
      const { createRequire } = require('node:module')
      const bundleRequire = createRequire(${JSON.stringify(`${DIST}index.js`)})
      globalThis.__non_webpack_require__ = bundleRequire
      const loaded = () => Object.keys(require.cache).some(path => path.endsWith('undici/index.cjs'))
      const shim = require(${JSON.stringify(SHIM)})
      const before = loaded()
      const esModule = shim.__esModule
      const stillBefore = loaded()
      const ProxyAgent = shim.ProxyAgent
      const after = loaded()
      const real = bundleRequire('./undici/index.cjs')
      const agent = new ProxyAgent('http://127.0.0.1:3128')
      console.log(JSON.stringify({
        before, esModule: esModule === undefined, stillBefore, after,
        sameClass: ProxyAgent === real.ProxyAgent,
        sameFetch: shim.fetch === real.fetch,
        isDispatcher: agent instanceof real.Dispatcher,
        hasFetch: 'fetch' in shim,
        keys: Object.keys(shim).length === Object.keys(real).length
      }))
      agent.close()
    `
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' })
    expect(child.stderr).toBe('')
    expect(JSON.parse(child.stdout)).toEqual({
      before: false,
      esModule: true,
      stillBefore: false,
      after: true,
      sameClass: true,
      sameFetch: true,
      isDispatcher: true,
      hasFetch: true,
      keys: true
    })
  })
})
