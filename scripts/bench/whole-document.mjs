// A JUnit report read the way other JUnit actions read it (dorny/test-reporter with xml2js): the whole file
// into one string, then one object tree, then the failures counted. `node whole-document.mjs <xml2js|
// fast-xml-parser> <report.xml>` prints `ready` once the parser is loaded, then a JSON line of the counts.
import { readFile } from 'node:fs/promises'

const [parserName, file] = process.argv.slice(2)
const parse = await loadParser(parserName)
process.stdout.write('ready\n')
const document = await parse(await readFile(file, 'utf8'))
process.stdout.write(`${JSON.stringify(count(document))}\n`)

async function loadParser(name) {
  if (name === 'xml2js') {
    const { parseStringPromise } = await import('xml2js')
    return text => parseStringPromise(text)
  }
  if (name === 'fast-xml-parser') {
    const { XMLParser } = await import('fast-xml-parser')
    const parser = new XMLParser({ ignoreAttributes: false, isArray: tag => tag !== 'testsuites' })
    return text => parser.parse(text)
  }
  throw new Error(`unknown parser '${name}': use xml2js or fast-xml-parser`)
}

/** Testcases and <failure> elements, whichever shape the parser gave the tree. */
function count(document) {
  const root = document.testsuites ?? {}
  const suites = [root.testsuite ?? []].flat()
  let testcases = 0
  let failures = 0
  for (const suite of suites) {
    for (const testcase of [suite.testcase ?? []].flat()) {
      testcases++
      failures += [testcase.failure ?? []].flat().length
    }
  }
  return { testcases, failures }
}
