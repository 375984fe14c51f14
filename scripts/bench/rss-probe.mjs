// Loaded into a measured Node process with NODE_OPTIONS=--import=<this file>: when the process exits it
// writes its peak resident set size (getrusage's ru_maxrss, kept by the kernel, so no peak is missed
// between samples) in KiB to the file named by BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs'

const file = process.env.BENCH_RSS_FILE
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
