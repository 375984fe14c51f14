import { describe, expect, it } from '@jest/globals'
import { Readable } from 'node:stream'
import { renderJunitReport } from '../../simulator/junit.js'
import type { SimulatedFinding } from '../../simulator/webhook-api.js'
import { fingerprint, locate, urlInMessage } from '../../src/engine/report/fingerprint.js'
import { parseJunitReport } from '../../src/engine/report/junit.js'

const xss = {
  scanner: 'xss',
  title: 'Cross-Site Scripting (XSS)',
  message: "Reflected XSS in parameter 'q' of https://shop.example.com/search?q=<script>alert(1)</script>"
}

describe('locate', () => {
  it.each([
    [
      'SQL injection in parameter "id" of https://a.example.com/products?id=1&sort=name',
      'a.example.com/products?id&sort',
      'id'
    ],
    ["Reflected XSS in parameter 'q' of a.example.com/search: <script>", 'a.example.com/search', 'q'],
    ['Missing header on "https://A.Example.com:443/"', 'a.example.com', undefined],
    ['TLS 1.1 is offered by the server a.example.com:8443', 'a.example.com:8443', undefined],
    ['param: token at `http://a.example.com/login`.', 'a.example.com/login', 'token'],
    ['The Server header reveals nginx/1.18.0', undefined, undefined],
    ['Open redirect (see <https://a.example.com/go?to=evil>)', 'a.example.com/go?to', undefined],
    [
      'XSS in parameter &quot;q&quot; of &quot;https://a.example.com/s?q=1&amp;x=2&quot;',
      'a.example.com/s?q&x',
      'q'
    ],
    ['Path traversal at https://a.example.com/caf%C3%A9/files', 'a.example.com/café/files', undefined]
  ])('%s', (message, url, parameter) => {
    expect(locate(message)).toEqual({ ...(url && { url }), ...(parameter && { parameter }) })
  })
})

describe('urlInMessage', () => {
  it('gives the URL as the message writes it, without quotes or closing punctuation', () => {
    expect(urlInMessage('at "https://a.example.com/x?q=1".')).toBe('https://a.example.com/x?q=1')
    expect(urlInMessage('at a.example.com/x, twice')).toBe('a.example.com/x')
    expect(urlInMessage('no address here')).toBeUndefined()
  })
})

describe('fingerprint', () => {
  it('is 16 hex characters', () => {
    expect(fingerprint(xss)).toMatch(/^[0-9a-f]{16}$/)
  })

  it('is stable when the payload, the URL quoting or the scheme change', () => {
    const same = [
      "Reflected XSS in parameter 'q' of https://shop.example.com/search?q=%3Csvg%20onload%3D1%3E",
      'Reflected XSS in parameter "q" of "https://shop.example.com/search?q=1"',
      'Reflected XSS in parameter q of shop.example.com/search?q=x.',
      'Reflected XSS in parameter `q` of `http://shop.example.com/search?q=";alert(1)//`',
      'Reflected XSS in parameter q of <https://shop.example.com/search/?q=1>',
      'Reflected XSS in parameter q (https://SHOP.example.com:443/search?q=1)',
      'Reflected XSS in parameter &quot;q&quot; of &quot;https://shop.example.com/search?q=2&quot;',
      'Reflected XSS in parameter &#39;q&#39; of https://shop.example.com/%73earch?q=3'
    ]
    for (const message of same) expect(fingerprint({ ...xss, message })).toBe(fingerprint(xss))
  })

  it('is stable when the running counter changes between two scans', async () => {
    const findings: SimulatedFinding[] = [
      { scanner: 'xss', title: xss.title, severity: 'high', message: xss.message },
      { scanner: 'ssl', title: 'TLS', severity: 'high', message: 'TLS 1.1 offered by shop.example.com' }
    ]
    const read = (xml: string) => parseJunitReport(Readable.from([xml]))
    const first = await read(renderJunitReport(findings, 3))
    const second = await read(renderJunitReport([...findings].reverse(), 40))
    const titles = (xml: string) => [...xml.matchAll(/name="([^"]+)"/g)].map(m => m[1])
    expect(titles(renderJunitReport(findings, 0))).toContain('Cross-Site Scripting (XSS) (1)')
    expect(titles(renderJunitReport([...findings].reverse(), 0))).toContain('Cross-Site Scripting (XSS) (2)')
    const byScanner = (report: typeof first) =>
      Object.fromEntries(report.findings.map(f => [f.scanner, f.fingerprint]))
    expect(byScanner(second)).toEqual(byScanner(first))
    expect(byScanner(first).xss).toBe(fingerprint(xss))
  })

  it('ignores the case of the scanner and the title', () => {
    expect(fingerprint({ ...xss, scanner: 'XSS', title: 'cross-site scripting (xss)' })).toBe(
      fingerprint(xss)
    )
  })

  it('differs for another URL, another parameter, another scanner or another title', () => {
    const others = [
      { ...xss, message: "Reflected XSS in parameter 'q' of https://shop.example.com/catalog?q=1" },
      { ...xss, message: "Reflected XSS in parameter 'q' of https://shop.example.com/search/all?q=1" },
      { ...xss, message: "Reflected XSS in parameter 'q' of https://shop.example.com/search?q=1&page=2" },
      { ...xss, message: "Reflected XSS in parameter 'term' of https://shop.example.com/search?term=1" },
      { ...xss, scanner: 'sqlinjection' },
      { ...xss, title: 'Stored Cross-Site Scripting' }
    ]
    const prints = others.map(fingerprint)
    expect(new Set([fingerprint(xss), ...prints]).size).toBe(others.length + 1)
  })

  it('is the same on every host of the application: staging, a preview, production', () => {
    const on = (host: string) => ({
      ...xss,
      message: `Reflected XSS in parameter 'q' of https://${host}/search?q=<svg>`
    })
    const hosts = ['staging.shop.example', 'preview-42.shop.example', 'shop.example:8443', '10.0.0.7:8080']
    for (const host of hosts) expect(fingerprint(on(host))).toBe(fingerprint(xss))
    const tls = (where: string) => ({
      scanner: 'ssl',
      title: 'TLS',
      message: `TLS 1.1 is offered by ${where}`
    })
    expect(fingerprint(tls('staging.shop.example:443'))).toBe(fingerprint(tls('preview.shop.example')))
  })

  it('leaves host names out of a message that names no URL', () => {
    const open = (host: string) => ({
      scanner: 'portscan',
      title: 'Portscan',
      message: `Port 22 is open on ${host}`
    })
    expect(fingerprint(open('10.0.0.5'))).toBe(fingerprint(open('192.168.1.20:22')))
    expect(fingerprint(open('localhost'))).toBe(fingerprint(open('[fd00::1]')))
    expect(fingerprint({ ...open(''), message: 'Port 23 is open on 10.0.0.5' })).not.toBe(
      fingerprint(open('10.0.0.5'))
    )
  })

  it('falls back to the normalised message when no URL is named', () => {
    const a = {
      scanner: 'fingerprinting',
      title: 'Software',
      message: 'The Server header reveals  "nginx/1.18.0"'
    }
    expect(fingerprint({ ...a, message: "the server header reveals 'nginx/1.18.0'" })).toBe(fingerprint(a))
    expect(fingerprint({ ...a, message: 'The Server header reveals nginx/1.20.1' })).not.toBe(fingerprint(a))
  })
})
