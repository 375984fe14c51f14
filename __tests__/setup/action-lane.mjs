// Global setup of the action lane (__tests__/e2e, the demo): they run the bundled action, dist/index.js.
import { requireFreshDist } from './fresh-dist.mjs'

export default async function actionLaneSetup() {
  await requireFreshDist()
}
