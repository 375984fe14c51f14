import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { errorClause } from '../api/errors.js'
import type { RunLog } from '../log/run-log.js'

/**
 * Writes a file made from the report, a piece at a time; returns its path, or undefined after a warning
 * when it could not be written: the verdict never depends on these files, and the report is already kept.
 */
export async function keepFile(
  log: RunLog,
  file: { name: string; contents: string },
  path: string,
  pieces: Iterable<string>
): Promise<string | undefined> {
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, pieces)
    log.info(`${file.contents} written to ${path}.`)
    return path
  } catch (error) {
    log.warning(`Could not write ${file.name} ${path}: ${errorClause(error)}.`)
    return undefined
  }
}
