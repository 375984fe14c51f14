#!/usr/bin/env node
// Builds the committed bundles into dist/ (scripts/bundles.mjs), then writes action.yml's inputs and
// outputs from the engine's option definitions. The runner's download of the action leaves out what the
// action never runs (`export-ignore` in .gitattributes); docs/benchmarks.md measures that download.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { buildBundles, root } from './bundles.mjs'

await buildBundles(join(root, 'dist'))
execFileSync(process.execPath, ['--import', 'tsx', 'scripts/action-yml.ts'], { cwd: root, stdio: 'inherit' })
