// Stands in for `undici` in the bundle: tsconfig.json maps the name here, and ncc follows that mapping
// for every import, dependencies' included. @actions/http-client, which @actions/core loads at start,
// imports undici's ProxyAgent at its top but builds one only for proxied fetch() calls, which this action
// does not make; compiling and loading undici's 900 kB would cost every start some 30 ms. So undici is
// bundled on its own into dist/undici/ (scripts/bundle-undici.mjs), and this module loads it the first
// time one of its exports is used, then forwards every export unchanged.
'use strict'
/* global __non_webpack_require__, module */

let undici
// ncc turns __non_webpack_require__ into a real require() relative to the bundle file (dist/).
const load = () => (undici ??= __non_webpack_require__('./undici/index.cjs'))

module.exports = new Proxy(
  {},
  {
    // Bundlers ask whether a CommonJS module is an ES module; the answer needs no loading.
    get: (_, name) => (name === '__esModule' ? undefined : load()[name]),
    has: (_, name) => name in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, name) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), name)
      return descriptor && { ...descriptor, configurable: true }
    }
  }
)
