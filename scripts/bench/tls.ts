// A key and a self-signed certificate for 127.0.0.1, made with openssl for one benchmark run, so that the
// overhead is measured over HTTPS, as the recipe and the action talk to the real service.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runProcess } from './measure.js'

export interface LoopbackCertificate {
  key: string
  cert: string
  /** The certificate's file: trusted by curl through CURL_CA_BUNDLE, by Node through NODE_EXTRA_CA_CERTS. */
  certFile: string
}

export async function loopbackCertificate(folder: string): Promise<LoopbackCertificate> {
  const keyFile = join(folder, 'loopback.key')
  const certFile = join(folder, 'loopback.crt')
  // P-256, as most HTTPS services offer today.
  const made = await runProcess(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile
    ],
    { env: { PATH: process.env.PATH ?? '' } }
  )
  if (made.code !== 0) throw new Error(`openssl could not make a certificate for 127.0.0.1:\n${made.stderr}`)
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile }
}
