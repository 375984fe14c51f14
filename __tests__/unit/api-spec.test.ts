import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_API_SPEC_BYTES, readApiSpec } from '../../src/engine/settings/api-spec.js'
import { InputError } from '../../src/engine/settings/input-fields.js'

const dir = mkdtempSync(join(tmpdir(), 'api-spec-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
/** A file of that content, named with that extension. */
const file = (content: string, extension = 'json', name = `spec-${++files}.${extension}`) => {
  writeFileSync(join(dir, name), content)
  return { input: name, path: join(dir, name) }
}
const refusal = async (source: { input: string; path: string }): Promise<string> => {
  const error = await readApiSpec(source).then(
    () => undefined,
    (thrown: unknown) => thrown
  )
  expect(error).toBeInstanceOf(InputError)
  return (error as InputError).message
}

describe('what a spec must be', () => {
  it.each<[string, unknown]>([
    ['Swagger 2.0', { swagger: '2.0', info: {}, paths: {} }],
    ['OpenAPI 3.0.3', { openapi: '3.0.3', info: {}, paths: {} }],
    ['OpenAPI 3.1 with webhooks only', { openapi: '3.1.0', info: {}, webhooks: {} }],
    ['OpenAPI 3.1 with components only', { openapi: '3.1.1', info: {}, components: {} }],
    ['OpenAPI 3.2 with a pre-release tag', { openapi: '3.2.0-rc1', info: {}, paths: {} }]
  ])('accepts %s', async (_name, document) => {
    expect(await readApiSpec(file(JSON.stringify(document)))).toEqual(document)
  })

  it.each<[string, unknown, string]>([
    ['a list', [{ swagger: '2.0' }], 'it is not a mapping of fields'],
    ['a scalar', 'openapi: 3.0.0', 'it is not a mapping of fields'],
    ['AsyncAPI', { asyncapi: '2.6.0', info: {} }, 'it has neither field'],
    ['Swagger 1.2', { swaggerVersion: '1.2', apis: [] }, 'it has neither field'],
    ['swagger 3.0', { swagger: '3.0', info: {}, paths: {} }, 'its swagger field is "3.0"'],
    [
      'an unquoted YAML swagger: 2.0',
      { swagger: 2, info: {}, paths: {} },
      'in YAML write it in quotes (swagger: "2.0")'
    ],
    ['an unquoted YAML openapi: 3.0', { openapi: 3, info: {}, paths: {} }, 'in YAML write it in quotes'],
    ['OpenAPI 4', { openapi: '4.0.0', info: {}, paths: {} }, 'its openapi field is "4.0.0"'],
    ['OpenAPI 3.0 without paths', { openapi: '3.0.0', info: {}, components: {} }, 'has no paths object'],
    [
      'OpenAPI 3.1 with nothing',
      { openapi: '3.1.0', info: {} },
      'has no paths or components or webhooks object'
    ],
    ['no info', { swagger: '2.0', paths: {} }, 'has no info object'],
    ['paths as a list', { swagger: '2.0', info: {}, paths: [] }, 'has no paths object']
  ])('refuses %s', async (_name, document, message) => {
    expect(await refusal(file(JSON.stringify(document)))).toContain(message)
  })
})

describe('how a spec is read', () => {
  it('reads YAML with anchors, and JSON with a byte order mark', async () => {
    const yaml = 'openapi: 3.0.0\ninfo: &info {title: T, version: "1"}\nx-copy: *info\npaths: {}\n'
    expect(await readApiSpec(file(yaml, 'yaml'))).toEqual({
      openapi: '3.0.0',
      info: { title: 'T', version: '1' },
      'x-copy': { title: 'T', version: '1' },
      paths: {}
    })
    const json = '\uFEFF{"swagger":"2.0","info":{},"paths":{}}'
    expect(await readApiSpec(file(json))).toEqual({ swagger: '2.0', info: {}, paths: {} })
  })

  it('reads JSON as YAML too, which is what a .yaml file holding JSON needs', async () => {
    expect(await readApiSpec(file('{"swagger": "2.0", "info": {}, "paths": {}}', 'yaml'))).toEqual({
      swagger: '2.0',
      info: {},
      paths: {}
    })
  })

  it.each<[string, string, 'json' | 'yaml', string]>([
    ['YAML in a .json file', 'swagger: "2.0"\n', 'json', 'is not valid JSON'],
    ['broken JSON', '{"swagger": "2.0",', 'json', 'is not valid JSON'],
    [
      'several YAML documents',
      'openapi: 3.0.0\n---\nopenapi: 3.0.1\n',
      'yaml',
      'is not valid YAML: Source contains multiple documents (a spec is one document) at line 2, column 1'
    ],
    ['duplicate keys', 'openapi: 3.0.0\nopenapi: 3.0.1\n', 'yaml', 'Map keys must be unique'],
    [
      'an alias bomb',
      `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill('*a').join(',')}]\nc: &c [${Array(10).fill('*b').join(',')}]\nd: [${Array(10).fill('*c').join(',')}]\n`,
      'yaml',
      'is not valid YAML: Excessive alias count'
    ]
  ])('refuses %s', async (_name, text, format, message) => {
    expect(await refusal(file(text, format))).toContain(message)
  })
})

describe('readApiSpec', () => {
  /** A Swagger 2.0 document of exactly `size` bytes. */
  const specOfSize = (size: number): string => {
    const head = '{"swagger":"2.0","info":{},"paths":{},"x":"'
    return `${head}${'x'.repeat(size - head.length - 2)}"}`
  }

  it('reads a spec of exactly the size limit', async () => {
    const document = await readApiSpec(file(specOfSize(MAX_API_SPEC_BYTES), 'json', 'limit.json'))
    expect(document.swagger).toBe('2.0')
  })

  it('refuses one byte more, before reading it', async () => {
    expect(await refusal(file(specOfSize(MAX_API_SPEC_BYTES + 1), 'json', 'over.json'))).toBe(
      `Invalid input: 'api-spec' (over.json) is ${MAX_API_SPEC_BYTES + 1} bytes; the largest spec accepted is 5 MiB (5242880 bytes)`
    )
  })

  it('refuses a missing file, a directory, and a document that is not a spec', async () => {
    expect(await refusal({ input: 'nope.yaml', path: join(dir, 'nope.yaml') })).toContain(
      `'api-spec' (nope.yaml) does not exist: no file at ${join(dir, 'nope.yaml')}`
    )
    mkdirSync(join(dir, 'folder'))
    expect(await refusal({ input: 'folder', path: join(dir, 'folder') })).toContain(
      `'api-spec' (folder) is not a file`
    )
    expect(await refusal(file('{"name":"app"}', 'json', 'package.json'))).toContain(
      `'api-spec' (package.json) is neither a Swagger 2.0 document`
    )
  })
})
