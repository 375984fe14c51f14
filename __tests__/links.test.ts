// The Markdown pages link to one another and to the code; a renamed file or heading must not leave a
// reader at a 404 or at the top of a page. This file checks, for README.md, the project files and every
// page under docs/:
// - every relative link (inline, image, reference definition, HTML href/src) names a file or folder that
//   exists, and its `#anchor`, if any, is a heading of the page it points to, as GitHub makes heading
//   anchors (lower case; punctuation but `-` and `_` dropped; each space a `-`; a repeated anchor gets
//   `-1`, `-2`, …). External links (any scheme: https:, mailto:, …) are not fetched;
// - every repository path that ARCHITECTURE.md (and CONTRIBUTING.md and SECURITY.md, which name files
//   the same way) gives in backticks exists, so that the page a new maintainer reads first cannot drift
//   from the code.
// Links inside fenced code blocks and code spans are examples, not links, and are left alone. The last
// block feeds each check broken input to prove that it can fail.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The pages at the top of the repository; each must exist. */
const PROJECT_PAGES = ['README.md', 'CONTRIBUTING.md', 'ARCHITECTURE.md', 'SECURITY.md', 'CHANGELOG.md']
/** The pages whose backticked repository paths must exist. */
const PATH_PAGES = ['ARCHITECTURE.md', 'CONTRIBUTING.md', 'SECURITY.md']
/** Where a backticked repository path starts. */
const REPOSITORY_PATH = /^(?:src|simulator|scripts|__tests__|docs|\.github)\//

/** The files a check looks at, by repository-relative path with `/` separators ('' is the root). */
interface Files {
  exists(path: string): boolean
  isFolder(path: string): boolean
  read(path: string): string
}

const disk: Files = {
  exists: path => existsSync(join(root, path)),
  isFolder: path => existsSync(join(root, path)) && statSync(join(root, path)).isDirectory(),
  read: path => readFileSync(join(root, path), 'utf8')
}

/** Files held in memory, for the checks of the checks. */
function inMemory(files: Record<string, string>): Files {
  const isFolder = (path: string): boolean =>
    path === '' || Object.keys(files).some(name => name.startsWith(`${path}/`))
  return {
    exists: path => path in files || isFolder(path),
    isFolder,
    read: path => {
      const text = files[path]
      if (text === undefined) throw new Error(`no file ${path}`)
      return text
    }
  }
}

function markdownUnder(folder: string): string[] {
  return (readdirSync(join(root, folder), { recursive: true }) as string[])
    .map(name => posix.join(folder, name.split('\\').join('/')))
    .filter(path => path.endsWith('.md') && statSync(join(root, path)).isFile())
    .sort()
}

// ---- reading Markdown ---------------------------------------------------------------------------------

const FENCE = /^ {0,3}(`{3,}|~{3,})/

/** The page's lines, those of fenced code blocks (fences included) blanked, so line numbers still hold. */
function proseLines(markdown: string): string[] {
  let fence: string | undefined
  return markdown.split(/\r?\n/).map(line => {
    const opening = FENCE.exec(line)?.[1]
    if (fence === undefined) {
      if (opening === undefined) return line
      fence = opening
      return ''
    }
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`)
    if (closing.test(line)) fence = undefined
    return ''
  })
}

const CODE_SPAN = /(`+)(.*?[^`])\1(?!`)/g

/** A line without its code spans. */
const withoutCode = (line: string): string => line.replace(CODE_SPAN, '')

interface Link {
  target: string
  line: number
}

const INLINE_LINK = /\]\(\s*(<[^>\n]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*(<[^>\n]*>|\S+)/
const HTML_LINK = /<(?:a|img|source)\b[^>]*?\s(?:href|src|srcset)\s*=\s*["']([^"']+)["']/gi

/** Every link of a page outside code, with its line number. */
function linksOf(markdown: string): Link[] {
  return proseLines(markdown).flatMap((raw, index) => {
    const line = withoutCode(raw)
    const targets = [
      ...[...line.matchAll(INLINE_LINK)].map(match => match[1] as string),
      ...[...line.matchAll(HTML_LINK)].map(match => match[1] as string)
    ]
    const definition = REFERENCE_DEFINITION.exec(line)?.[1]
    if (definition !== undefined) targets.push(definition)
    return targets.map(target => ({ target: target.replace(/^<|>$/g, ''), line: index + 1 }))
  })
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

/** A heading's text as GitHub renders it: code spans as their content, links as their text, no markup. */
function headingText(source: string): string {
  const pieces: string[] = []
  let from = 0
  for (const match of source.matchAll(CODE_SPAN)) {
    pieces.push(renderedInline(source.slice(from, match.index)), (match[2] as string).trim())
    from = match.index + match[0].length
  }
  pieces.push(renderedInline(source.slice(from)))
  return pieces.join('').trim()
}

function renderedInline(text: string): string {
  return (
    text
      .replace(/!\[[^\]]*\]\([^)]*\)/g, '') // an image has no text
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
        if (name.startsWith('#x') || name.startsWith('#X'))
          return String.fromCodePoint(parseInt(name.slice(2), 16))
        if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)))
        return ENTITIES[name.toLowerCase()] ?? entity
      })
      // Emphasis: `*` always, `_` only where it opens or closes (snake_case stays as written).
      .replace(/\*+/g, '')
      .replace(/(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu, '')
      .replace(/\\([!-/:-@[-`{-~])/g, '$1')
  )
}

/** GitHub's anchor of a heading text, before duplicates are numbered. */
function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-')
}

const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/
const NOT_A_PARAGRAPH = /^\s*(?:$|#|>|[-*+][ \t]|\d+[.)][ \t]|\||<)/
const HTML_ANCHOR = /<a\s[^>]*?\b(?:id|name)\s*=\s*["']([^"']+)["']/gi

/** The texts of a page's headings, in order (ATX `# …` and setext, underlined with `===` or `---`). */
function headingsOf(markdown: string): string[] {
  const lines = proseLines(markdown)
  const headings: string[] = []
  lines.forEach((line, index) => {
    const atx = ATX_HEADING.exec(line)
    if (atx) return void headings.push(headingText(atx[1] ?? ''))
    const next = lines[index + 1]
    if (next !== undefined && SETEXT_UNDERLINE.test(next) && !NOT_A_PARAGRAPH.test(line))
      headings.push(headingText(line))
  })
  return headings
}

/** Every anchor a page has: its headings' (numbered as GitHub numbers repeats) and its HTML anchors'. */
function anchorsOf(markdown: string): Set<string> {
  const occurrences = new Map<string, number>()
  const anchors = new Set<string>()
  for (const heading of headingsOf(markdown)) {
    const base = slug(heading)
    let anchor = base
    while (occurrences.has(anchor)) {
      const count = (occurrences.get(base) ?? 0) + 1
      occurrences.set(base, count)
      anchor = `${base}-${count}`
    }
    occurrences.set(anchor, 0)
    anchors.add(anchor)
  }
  for (const line of proseLines(markdown))
    for (const match of line.matchAll(HTML_ANCHOR)) anchors.add(match[1] as string)
  return anchors
}

// ---- the checks ---------------------------------------------------------------------------------------

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i
const LINE_ANCHOR = /^L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?$/
const isMarkdown = (path: string): boolean => /\.(?:md|markdown)$/i.test(path)

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** What is wrong with the relative links of `page` (a repository path): one line per broken link. */
function linkProblems(page: string, markdown: string, files: Files): string[] {
  const problems: string[] = []
  const anchorCache = new Map<string, Set<string>>()
  const anchorsIn = (path: string): Set<string> => {
    let anchors = anchorCache.get(path)
    if (!anchors) anchorCache.set(path, (anchors = anchorsOf(path === page ? markdown : files.read(path))))
    return anchors
  }
  for (const { target, line } of linksOf(markdown)) {
    if (EXTERNAL.test(target) || target.startsWith('//')) continue
    const where = `${page}:${line}: (${target})`
    const hash = target.indexOf('#')
    const pathPart = decode((hash < 0 ? target : target.slice(0, hash)).replace(/\?.*$/, ''))
    const anchor = hash < 0 ? '' : decode(target.slice(hash + 1))
    let path = page
    if (pathPart !== '') {
      const joined = pathPart.startsWith('/')
        ? posix.normalize(pathPart.slice(1))
        : posix.join(posix.dirname(page), pathPart)
      path = joined.replace(/\/+$/, '').replace(/^\.$/, '')
      if (path === '..' || path.startsWith('../')) {
        problems.push(`${where} points outside the repository`)
        continue
      }
      if (!files.exists(path)) {
        problems.push(`${where}: ${path || '/'} does not exist`)
        continue
      }
    }
    if (anchor === '') continue
    if (files.isFolder(path)) {
      problems.push(`${where}: an anchor on a folder (${path}/) leads nowhere`)
    } else if (!isMarkdown(path)) {
      if (!LINE_ANCHOR.test(anchor))
        problems.push(`${where}: ${path} is no Markdown page, so #${anchor} is none of its headings`)
    } else if (!anchorsIn(path).has(anchor)) {
      problems.push(`${where}: ${path} has no heading with the anchor #${anchor}`)
    }
  }
  return problems
}

/** The repository paths a page gives in backticks, outside code blocks, with their line numbers. */
function backtickedPaths(markdown: string): { path: string; line: number }[] {
  return proseLines(markdown).flatMap((line, index) =>
    [...line.matchAll(CODE_SPAN)]
      .map(match => (match[2] as string).trim())
      .filter(text => REPOSITORY_PATH.test(text) && !/\s/.test(text))
      .map(path => ({ path, line: index + 1 }))
  )
}

const PATTERN = /[*?<>{}[\]|]/

/**
 * The backticked repository paths of a page that do not exist. A path with a pattern or a placeholder in
 * it (`docs/ci/*.md`, `src/cli/ci/<system>.ts`) is checked up to the folder before the pattern.
 */
function pathProblems(page: string, markdown: string, files: Files): string[] {
  return backtickedPaths(markdown).flatMap(({ path, line }) => {
    const at = path.search(PATTERN)
    const checked = (at < 0 ? path : path.slice(0, path.lastIndexOf('/', at) + 1)).replace(/\/+$/, '')
    return files.exists(checked) ? [] : [`${page}:${line}: \`${path}\` does not exist`]
  })
}

// ---- the pages of this repository ---------------------------------------------------------------------

const PAGES = [...PROJECT_PAGES, ...markdownUnder('docs')]

describe('the Markdown pages', () => {
  it.each(PROJECT_PAGES)('%s exists', page => {
    expect(disk.exists(page)).toBe(true)
  })

  it('include the pages under docs/ (a check of this test itself)', () => {
    expect(PAGES).toEqual(expect.arrayContaining(['docs/ci/README.md', 'docs/benchmarks.md']))
  })

  it.each(PAGES.filter(page => disk.exists(page)))('%s: every relative link and anchor resolves', page => {
    expect(linkProblems(page, disk.read(page), disk)).toEqual([])
  })
})

describe('the repository paths the pages name in backticks', () => {
  it('are found (a check of this test itself)', () => {
    const named = backtickedPaths(disk.read('ARCHITECTURE.md')).map(found => found.path)
    expect(named.length).toBeGreaterThan(30)
    expect(named).toEqual(expect.arrayContaining(['src/engine/run/run-scan.ts', 'src/cli/ci/']))
  })

  it.each(PATH_PAGES)('%s: every one exists', page => {
    expect(pathProblems(page, disk.read(page), disk)).toEqual([])
  })
})

// ---- each check can fail ------------------------------------------------------------------------------

describe('the checks catch broken links', () => {
  it('make anchors as GitHub does', () => {
    expect(slug('What happens on a finding?')).toBe('what-happens-on-a-finding')
    expect(slug('Secrets & permissions')).toBe('secrets--permissions')
    expect(slug('Baseline — only new findings')).toBe('baseline--only-new-findings')
    expect(slug('snake_case stays; Ünïcode too')).toBe('snake_case-stays-ünïcode-too')
    expect(headingsOf('# `fail-on`: the *gate* (default `high`)\n')).toEqual([
      'fail-on: the gate (default high)'
    ])
    expect(headingsOf('## dist/ and action.yml are [generated](x.md)\n')).toEqual([
      'dist/ and action.yml are generated'
    ])
    expect([...anchorsOf('# Usage\n## Usage\n### Usage\nSetext\n------\n')]).toEqual([
      'usage',
      'usage-1',
      'usage-2',
      'setext'
    ])
    expect([...anchorsOf('```sh\n# not a heading\n```\n<a id="kept"></a>\n')]).toEqual(['kept'])
  })

  it('reports a missing file, a missing anchor here and elsewhere, and a path outside the repository', () => {
    const files = inMemory({
      'README.md': '# Title\n## Inputs\n## Inputs\n',
      'docs/a.md': '# A page\n',
      'src/x.ts': 'export {}\n'
    })
    const page = [
      '# Here', // 1
      '[fine](a.md#a-page) [fine](#here) [fine](../README.md#inputs-1) [fine](../src/x.ts#L3)', // 2
      '[gone](docs/missing.md)', // 3
      '[gone](#nowhere)', // 4
      '[gone](../README.md#outputs)', // 5
      '[gone](../../elsewhere.md)', // 6
      '![gone](img/logo.png) <a href="b.md">gone</a>', // 7
      '[external](https://example.com/x.md) [mail](mailto:a@example.com) `[code](nope.md)`', // 8
      '```md', // 9
      '[in a code block](nope.md)', // 10
      '```', // 11
      '[ref]: ../src/y.ts' // 12
    ].join('\n')
    expect(linkProblems('docs/page.md', page, files)).toEqual([
      'docs/page.md:3: (docs/missing.md): docs/docs/missing.md does not exist',
      'docs/page.md:4: (#nowhere): docs/page.md has no heading with the anchor #nowhere',
      'docs/page.md:5: (../README.md#outputs): README.md has no heading with the anchor #outputs',
      'docs/page.md:6: (../../elsewhere.md) points outside the repository',
      'docs/page.md:7: (img/logo.png): docs/img/logo.png does not exist',
      'docs/page.md:7: (b.md): docs/b.md does not exist',
      'docs/page.md:12: (../src/y.ts): src/y.ts does not exist'
    ])
  })

  it('reports a broken link in a copy of a real page', () => {
    const page = 'CONTRIBUTING.md'
    const broken = `${disk.read(page)}\nSee [the gone section](#no-such-section) and [a gone page](docs/gone.md).\n`
    expect(linkProblems(page, broken, disk)).toEqual([
      expect.stringContaining('CONTRIBUTING.md has no heading with the anchor #no-such-section'),
      expect.stringContaining('docs/gone.md does not exist')
    ])
  })

  it('reports a backticked path that does not exist, and checks a pattern up to its folder', () => {
    const files = inMemory({ 'src/engine/run/run-scan.ts': '', 'docs/ci/gitlab.md': '' })
    const page = [
      '`src/engine/run/run-scan.ts` and `src/engine/run/` and `docs/ci/*.md` exist;',
      '`src/engine/run/run-scans.ts` and `scripts/gone.mjs` and `docs/gone/*.md` do not;',
      '`src/engine/run/run-scan.ts → action.yml` is no path, nor is `.node/<major>/`.',
      '```',
      '`src/in/a/code/block.ts`',
      '```'
    ].join('\n')
    expect(pathProblems('ARCHITECTURE.md', page, files)).toEqual([
      'ARCHITECTURE.md:2: `src/engine/run/run-scans.ts` does not exist',
      'ARCHITECTURE.md:2: `scripts/gone.mjs` does not exist',
      'ARCHITECTURE.md:2: `docs/gone/*.md` does not exist'
    ])
  })
})
