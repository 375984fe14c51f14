// docs/reliability.md, hostile reports and cancellation (rows in ./reliability.ts).
import { testRows } from './reliability.js'

testRows(['hostile report', 'cancel'])
