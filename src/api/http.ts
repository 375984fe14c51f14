import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { Transform, Writable } from 'node:stream'
import { HttpClient } from '@actions/http-client'

export interface HttpAnswer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

export interface HttpRequest {
  method: 'GET' | 'POST'
  url: string
  body?: string
  headers?: Record<string, string>
}

/** Largest JSON answer read into memory; the API's answers are a few hundred bytes. */
const MAX_JSON_BYTES = 1024 * 1024

/**
 * One HTTP exchange at a time, each with its own time limit. `@actions/http-client` gives proxy
 * support as runners configure it; retries are this project's own policy (see api/webhook-client.ts),
 * so the client's are off.
 */
export class HttpTransport {
  private readonly client: HttpClient

  constructor(
    userAgent: string,
    private readonly timeoutMs: number
  ) {
    this.client = new HttpClient(userAgent, undefined, {
      socketTimeout: timeoutMs,
      allowRetries: false,
      allowRedirects: false,
      keepAlive: true
    })
  }

  /** Sends a request and reads the whole (small) answer. */
  async send(request: HttpRequest): Promise<HttpAnswer> {
    const message = await this.open(request)
    const chunks: Buffer[] = []
    let size = 0
    await consume(message, this.timeoutMs, chunk => {
      size += chunk.length
      if (size > MAX_JSON_BYTES) throw new Error(`the answer was larger than ${MAX_JSON_BYTES} bytes`)
      chunks.push(chunk)
    })
    return {
      status: message.statusCode ?? 0,
      headers: message.headers,
      body: Buffer.concat(chunks).toString('utf8')
    }
  }

  /**
   * Sends a request; a 2xx answer streams to `path` (through a temporary file, so a broken transfer
   * never leaves a half report under the final name), and to `tap` on its way, if given; anything else
   * is read like `send`.
   */
  async download(
    request: HttpRequest,
    path: string,
    maxBytes: number,
    tap?: (chunk: Buffer) => void
  ): Promise<HttpAnswer> {
    const message = await this.open(request)
    const status = message.statusCode ?? 0
    if (status < 200 || status > 299) {
      const chunks: Buffer[] = []
      await consume(message, this.timeoutMs, chunk => void chunks.push(chunk))
      return {
        status,
        headers: message.headers,
        body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_JSON_BYTES)
      }
    }
    const partial = `${path}.partial`
    try {
      await pipeline(
        message,
        idleLimit(message, this.timeoutMs),
        sizeLimit(maxBytes, tap),
        createWriteStream(partial)
      )
      await rename(partial, path)
    } catch (error) {
      await rm(partial, { force: true })
      throw error
    }
    return { status, headers: message.headers, body: '' }
  }

  close(): void {
    this.client.dispose()
  }

  private async open(request: HttpRequest): Promise<IncomingMessage> {
    const response = await this.client.request(request.method, request.url, request.body ?? null, {
      accept: 'application/json',
      ...request.headers
    })
    return response.message
  }
}

/** Reads a response, failing when no byte arrives for `idleMs`. */
async function consume(
  message: IncomingMessage,
  idleMs: number,
  onChunk: (chunk: Buffer) => void
): Promise<void> {
  await pipeline(
    message,
    idleLimit(message, idleMs),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        try {
          onChunk(chunk)
          done()
        } catch (error) {
          done(error as Error)
        }
      }
    })
  )
}

function idleLimit(message: IncomingMessage, idleMs: number): Transform {
  let timer: NodeJS.Timeout | undefined
  const arm = (stream: Transform): void => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      const error = new Error(`no data for ${Math.round(idleMs / 1000)} s while reading the answer`)
      message.destroy(error)
      stream.destroy(error)
    }, idleMs)
  }
  const stream: Transform = new Transform({
    transform(chunk, _encoding, done) {
      arm(stream)
      done(null, chunk)
    },
    flush(done) {
      clearTimeout(timer)
      done()
    },
    destroy(error, done) {
      clearTimeout(timer)
      done(error)
    }
  })
  arm(stream)
  return stream
}

function sizeLimit(maxBytes: number, tap?: (chunk: Buffer) => void): Transform {
  let size = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length
      if (size > maxBytes)
        return done(new Error(`the report is larger than ${Math.round(maxBytes / 1048576)} MiB`))
      tap?.(chunk)
      done(null, chunk)
    }
  })
}
