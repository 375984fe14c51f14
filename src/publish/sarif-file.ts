import * as core from '@actions/core'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { errorMessage } from '../api/errors.js'
import type { Finding } from '../report/findings.js'
import { renderSarifText, workflowFileUri } from './sarif.js'

/**
 * Writes the findings as SARIF to `path`; returns the path, or undefined after a warning when the file
 * could not be written (the verdict does not depend on it). Findings without a URL are located at the
 * workflow file that ran the scan.
 */
export async function writeSarif(path: string, findings: readonly Finding[]): Promise<string | undefined> {
  try {
    const text = renderSarifText(findings, { fallbackUri: workflowFileUri(process.env) })
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, text)
    core.info(`SARIF log of ${findings.length} findings written to ${path}.`)
    return path
  } catch (error) {
    core.warning(`Could not write the SARIF file ${path}: ${errorMessage(error)}.`)
    return undefined
  }
}
