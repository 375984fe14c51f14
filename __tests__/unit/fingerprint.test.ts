import { describe, expect, it } from '@jest/globals'
import { fingerprint, locate } from '../../src/report/fingerprint.js'

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
    ['The Server header reveals nginx/1.18.0', undefined, undefined]
  ])('%s', (message, url, parameter) => {
    expect(locate(message)).toEqual({ ...(url && { url }), ...(parameter && { parameter }) })
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
      'Reflected XSS in parameter q of shop.example.com/search?q=x.'
    ]
    for (const message of same) expect(fingerprint({ ...xss, message })).toBe(fingerprint(xss))
  })

  it('ignores the case of the scanner and the title', () => {
    expect(fingerprint({ ...xss, scanner: 'XSS', title: 'cross-site scripting (xss)' })).toBe(
      fingerprint(xss)
    )
  })

  it('differs for another URL, another parameter, another scanner or another title', () => {
    const others = [
      { ...xss, message: "Reflected XSS in parameter 'q' of https://shop.example.com/catalog?q=1" },
      { ...xss, message: "Reflected XSS in parameter 'term' of https://shop.example.com/search?term=1" },
      { ...xss, message: "Reflected XSS in parameter 'q' of https://admin.example.com/search?q=1" },
      { ...xss, scanner: 'sqlinjection' },
      { ...xss, title: 'Stored Cross-Site Scripting' }
    ]
    const prints = others.map(fingerprint)
    expect(new Set([fingerprint(xss), ...prints]).size).toBe(others.length + 1)
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
