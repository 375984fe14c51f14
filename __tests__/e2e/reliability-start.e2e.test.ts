// docs/reliability.md, the start of a scan (rows in ./reliability.ts); and that the page lists every row.
import { testDocs, testRows } from './reliability.js'

testRows(['start'])
testDocs()
