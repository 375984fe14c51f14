// MarkupWatch follows the markup ahead of saxes: it must never change what the document says, whatever
// the pieces it is handed, and must name the markup that grows too long.
import { describe, expect, it } from '@jest/globals'
import { SaxesParser } from 'saxes'
import { MarkupWatch } from '../../src/engine/report/markup-watch.js'

const DOCUMENT =
  '<?xml version="1.0" encoding="UTF-8"?><!-- a - b? > c --><testsuites><?pi some > data?>' +
  '<testsuite name="S &amp; T" x=\'1 > 0\'><testcase name="A"><failure message="&lt;b&gt;" type="high">' +
  'text &amp; more text ]] > <![CDATA[ cdata <not> ]] ]> & ]]> tail </failure></testcase>' +
  '<testcase name="B"/></testsuite></testsuites>'

/** What saxes reports of a document: elements with attributes, and all character content, in order. */
function contentOf(pieces: string[]): string[] {
  const events: string[] = []
  let characters = ''
  const parser = new SaxesParser()
  const flush = () => {
    if (characters) events.push(`chars ${characters}`)
    characters = ''
  }
  parser.on('opentag', tag => {
    flush()
    events.push(`open ${tag.name} ${JSON.stringify(tag.attributes)}`)
  })
  parser.on('closetag', tag => {
    flush()
    events.push(`close ${tag.name}`)
  })
  parser.on('text', text => (characters += text))
  parser.on('cdata', text => (characters += text))
  parser.on('processinginstruction', pi => events.push(`pi ${pi.target} ${pi.body}`))
  for (const piece of pieces) parser.write(piece)
  parser.close()
  return events
}

function watched(pieces: string[], watch = new MarkupWatch(1000, 8)): string[] {
  return pieces.map(piece => {
    const passed = watch.pass(piece)
    if ('tooLong' in passed) throw new Error(`too long: ${passed.tooLong}`)
    return passed.text
  })
}

function cut(text: string, size: number): string[] {
  return Array.from({ length: Math.ceil(text.length / size) }, (_, n) => text.slice(n * size, (n + 1) * size))
}

describe('MarkupWatch', () => {
  it.each([1, 2, 3, 5, 7, 13, 64, DOCUMENT.length])(
    'changes nothing the document says, handed pieces of %i characters, long text split',
    size => {
      const passed = watched(cut(DOCUMENT, size))
      expect(contentOf(passed)).toEqual(contentOf([DOCUMENT]))
      expect(passed.join('')).toContain('<!---->') // text longer than 8 characters was split
    }
  )

  it('splits CDATA that goes on beyond a piece, never inside its terminator', () => {
    const document = `<a><![CDATA[${'c]'.repeat(40)}]]]></a>`
    const passed = watched(cut(document, 5))
    expect(passed.join('')).toContain(']]><![CDATA[')
    expect(contentOf(passed)).toEqual(contentOf([document]))
  })

  it('hands a piece on as it is when nothing needs splitting', () => {
    const piece = '<testsuites><testcase name="A"/>'
    expect(new MarkupWatch(1000, 1000).pass(piece)).toEqual({ text: piece })
  })

  it.each([
    ['an element name', '<a', 'b'.repeat(50)],
    ['an element name', '</a', 'b'.repeat(50)],
    ['an attribute name', '<a ', 'b'.repeat(50)],
    ['an attribute value', '<a b="', 'c'.repeat(50)],
    ['an entity reference', '<a b="&', 'c'.repeat(50)],
    ['an entity reference', '<a>&', 'c'.repeat(50)],
    ['a comment', '<!--', 'c'.repeat(50)],
    ['a processing instruction', '<?p', 'c'.repeat(50)],
    ['a processing instruction', '<?p ', 'c'.repeat(50)],
    ['an XML declaration', '<?xml ', 'c'.repeat(50)],
    ['a DOCTYPE declaration', '<!DOCTYPE ', 'c'.repeat(50)],
    ['a piece of markup', '<!X', 'c'.repeat(50)]
  ])('names %s longer than the limit', (kind, opening, rest) => {
    const watch = new MarkupWatch(40, 8)
    expect(watch.pass(opening)).toEqual({ text: opening })
    expect(watch.pass(rest)).toEqual({ tooLong: kind })
  })

  it('never limits text or CDATA, however long', () => {
    const watch = new MarkupWatch(40, 8)
    for (const piece of ['<a>', 't'.repeat(500), '<![CDATA[', 'c'.repeat(500), ']]></a>']) {
      expect(watch.pass(piece)).toHaveProperty('text')
    }
  })
})
