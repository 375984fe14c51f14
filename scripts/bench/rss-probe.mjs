// Loaded with NODE_OPTIONS=--import=<this file>: at exit, writes the process's peak resident set size in KiB
// (getrusage's ru_maxrss, kept by the kernel, so that no peak falls between samples) to $BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs'

const file = process.env.BENCH_RSS_FILE
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)))
