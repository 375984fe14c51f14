// docs/reliability.md, downloading and reading the report (rows in ./reliability.ts).
import { testRows } from './reliability.js'

testRows(['report', 'large report'])
