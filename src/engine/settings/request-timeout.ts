import type { InputFields } from './input-fields.js'

/**
 * `request-timeout`: how long one call of the webhook API may go without an answer, and the longest pause
 * while a report downloads. A request that hits it is treated like a dropped connection.
 */
export function parseRequestTimeout(fields: InputFields): number {
  return fields.number('request-timeout', 1, 'seconds', 600) * 1000
}
