// A key and a self-signed certificate for 127.0.0.1, made with openssl, for a simulator that speaks HTTPS
// as the real service does: the benchmark measures over it, and tests check how the engine meets a
// certificate it cannot verify.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

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
  try {
    await promisify(execFile)(
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
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error)
    throw new Error(`openssl could not make a certificate for 127.0.0.1:\n${stderr}`)
  }
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile }
}
