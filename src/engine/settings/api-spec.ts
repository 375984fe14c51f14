import { readFile, stat } from 'node:fs/promises'
import { extname } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { InputError } from './input-fields.js'
import type { ApiSpecSource } from '../api/scan-config.js'

/**
 * The largest API spec the action sends. The whole document travels in the start request's JSON body;
 * specs of large APIs run to a few hundred KiB, so this leaves ample room without loading anything huge.
 */
export const MAX_API_SPEC_BYTES = 5 * 1024 * 1024

export type ApiDocument = Record<string, unknown>

/** Reads, parses and checks the `api-spec` file; any problem is an InputError, raised before any request. */
export async function readApiSpec(source: ApiSpecSource): Promise<ApiDocument> {
  const where = `'api-spec' (${source.input})`
  const fail = (message: string): never => {
    throw new InputError([`${where} ${message}`])
  }
  const info = await stat(source.path).catch((error: NodeJS.ErrnoException) =>
    fail(
      error.code === 'ENOENT'
        ? `does not exist: no file at ${source.path}. Check the path, and that the repository is checked out`
        : `cannot be read (${error.code ?? error.message})`
    )
  )
  if (!info.isFile()) fail(`is not a file: ${source.path}`)
  if (info.size > MAX_API_SPEC_BYTES) {
    fail(`is ${info.size} bytes; the largest spec accepted is 5 MiB (${MAX_API_SPEC_BYTES} bytes)`)
  }
  const text = await readFile(source.path, 'utf8').catch((error: NodeJS.ErrnoException) =>
    fail(`cannot be read (${error.code ?? error.message})`)
  )
  const parsed = parseApiSpec(text, extname(source.path).toLowerCase() === '.json' ? 'json' : 'yaml')
  if ('problem' in parsed) return fail(parsed.problem)
  const problem = apiSpecProblem(parsed.document)
  if (problem) fail(problem)
  return parsed.document as ApiDocument
}

/** A `.json` file is parsed as JSON, anything else as YAML (which also reads JSON). */
function parseApiSpec(text: string, format: 'json' | 'yaml'): { document: unknown } | { problem: string } {
  const source = text.replace(/^\uFEFF/, '')
  try {
    // logLevel 'error': the yaml package would print its warnings to stderr otherwise.
    const document = format === 'json' ? JSON.parse(source) : parseYaml(source, { logLevel: 'error' })
    return { document }
  } catch (error) {
    // The first line of the parser's message: what and where, without the quoted source after it.
    const message = ((error as Error).message.split('\n')[0] ?? '')
      .replace(/; please use YAML\.parseAllDocuments\(\)/, ' (a spec is one document)')
      .replace(/:$/, '')
    return { problem: `is not valid ${format === 'json' ? 'JSON' : 'YAML'}: ${message}` }
  }
}

const NEITHER = 'is neither a Swagger 2.0 document (swagger: "2.0") nor an OpenAPI 3.x one (openapi: 3.x.y)'

/** Why the document is not a Swagger 2.0 or OpenAPI 3.x document, or undefined when it is one. Pure. */
function apiSpecProblem(document: unknown): string | undefined {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return `${NEITHER}: it is not a mapping of fields`
  }
  const spec = document as ApiDocument
  const quote = (field: string) => `the ${field} version must be a string; in YAML write it in quotes`
  let needs: string[]
  if ('swagger' in spec) {
    if (typeof spec.swagger === 'number') return `${NEITHER}: ${quote('swagger')} (swagger: "2.0")`
    if (spec.swagger !== '2.0') return `${NEITHER}: its swagger field is ${JSON.stringify(spec.swagger)}`
    needs = ['paths']
  } else if ('openapi' in spec) {
    if (typeof spec.openapi === 'number') return `${NEITHER}: ${quote('openapi')} (openapi: "3.0.3")`
    const version =
      typeof spec.openapi === 'string' ? /^3\.(\d+)(\.\d+)?(-[\w.]+)?$/.exec(spec.openapi) : null
    if (!version) return `${NEITHER}: its openapi field is ${JSON.stringify(spec.openapi)}`
    // OpenAPI 3.1 made paths optional when components or webhooks describe the API.
    needs = Number(version[1]) >= 1 ? ['paths', 'components', 'webhooks'] : ['paths']
  } else {
    return `${NEITHER}: it has neither field`
  }
  if (!isMapping(spec.info)) return `has no info object, which Swagger 2.0 and OpenAPI 3.x require`
  if (!needs.some(field => isMapping(spec[field]))) {
    return `has no ${needs.join(' or ')} object, so it describes no API`
  }
  return undefined
}

function isMapping(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
