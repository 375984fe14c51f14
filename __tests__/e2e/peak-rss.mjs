// Preloaded into the action by the tests that measure its memory (NODE_OPTIONS=--import=<this file>): when
// the process exits it writes its peak resident set size, in KiB as the kernel counts it, to $PEAK_RSS_FILE.
import { writeFileSync } from 'node:fs'

process.on('exit', () => writeFileSync(process.env.PEAK_RSS_FILE, String(process.resourceUsage().maxRSS)))
