// docs/reliability.md, following a scan's status (rows in ./reliability.ts).
import { testRows } from './reliability.js'

testRows(['status'])
