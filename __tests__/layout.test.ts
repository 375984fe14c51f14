// The shape of src/: one engine with two front ends. The engine depends on no CI system (of the
// toolkit it uses only the HTTP client), nothing imports a front end but its own files, and no folder
// imports another in a circle.
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const SRC = resolve(import.meta.dirname, '../src')

interface Import {
  from: string
  specifier: string
  /** The imported file, relative to src/, when it is one of ours. */
  target?: string
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory()
      ? sourceFiles(join(folder, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(folder, entry.name)]
        : []
  )
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8')
  const from = relative(SRC, file)
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/g)].map(
    match => match[1] as string
  )
  specifiers.push(
    ...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map(match => match[1] as string)
  )
  return specifiers.map(specifier => ({
    from,
    specifier,
    target: specifier.startsWith('.')
      ? relative(SRC, resolve(dirname(file), specifier)).replace(/\.js$/, '.ts')
      : undefined
  }))
}

const IMPORTS = sourceFiles(SRC).flatMap(importsOf)

/** Folder-level edges: every folder a file's folder imports from, besides itself. */
function folderEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>()
  for (const { from, target } of IMPORTS) {
    if (!target) continue
    const [a, b] = [dirname(from), dirname(target)]
    if (a === b) continue
    edges.set(a, (edges.get(a) ?? new Set()).add(b))
  }
  return edges
}

/** Every circle among the folders, each as the list of folders on it. */
function circles(edges: Map<string, Set<string>>): string[][] {
  const found: string[][] = []
  const visit = (node: string, path: string[]): void => {
    const at = path.indexOf(node)
    if (at >= 0) {
      found.push(path.slice(at))
      return
    }
    for (const next of edges.get(node) ?? []) visit(next, [...path, node])
  }
  for (const node of edges.keys()) visit(node, [])
  return found
}

describe('the layout of src/', () => {
  it('reads the imports it judges (a check of this test itself)', () => {
    expect(IMPORTS.length).toBeGreaterThan(100)
    expect(IMPORTS).toContainEqual(
      expect.objectContaining({ from: 'action/main.ts', target: 'engine/run/run-scan.ts' })
    )
    expect(
      circles(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set(['a'])]
        ])
      )
    ).not.toEqual([])
  })

  it('keeps the engine free of any CI system: of @actions/* only the HTTP client', () => {
    const engineImports = IMPORTS.filter(i => i.from.startsWith('engine/'))
    expect(engineImports.filter(i => i.specifier.startsWith('@actions/')).map(i => i.specifier)).toEqual(
      expect.arrayContaining(['@actions/http-client'])
    )
    const others = engineImports.filter(
      i => i.specifier.startsWith('@actions/') && i.specifier !== '@actions/http-client'
    )
    expect(others).toEqual([])
    expect(engineImports.filter(i => i.target && !i.target.startsWith('engine/'))).toEqual([])
  })

  it('lets no front end import the other', () => {
    const crossing = IMPORTS.filter(
      i =>
        (i.from.startsWith('action/') && i.target?.startsWith('cli/')) ||
        (i.from.startsWith('cli/') && i.target?.startsWith('action/'))
    )
    expect(crossing).toEqual([])
  })

  it('reads no runner variable in the engine', () => {
    const engineText = sourceFiles(join(SRC, 'engine')).map(file => readFileSync(file, 'utf8'))
    expect(engineText.filter(text => /process\.env/.test(text))).toEqual([])
  })

  it('has no folder that imports another in a circle', () => {
    expect(circles(folderEdges())).toEqual([])
  })
})
