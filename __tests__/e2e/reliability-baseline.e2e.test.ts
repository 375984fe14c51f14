// docs/reliability.md, the ways `baseline: auto` can find no baseline (rows in ./reliability.ts).
import { testRows } from './reliability.js'

testRows(['baseline'])
