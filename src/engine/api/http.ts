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
    return this.read(await this.open(request))
  }

  private async read(message: IncomingMessage): Promise<HttpAnswer> {
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
   * never leaves a half report under the final name), and to `reader` on its way when one is given;
   * anything else is read like `send`.
   */
  async download(
    request: HttpRequest,
    path: string,
    maxBytes: number,
    reader?: (chunk: Buffer) => void
  ): Promise<HttpAnswer> {
    const message = await this.open(request)
    const status = message.statusCode ?? 0
    if (status < 200 || status > 299) return this.read(message)
    const partial = `${path}.partial`
    const watch = watchBody(message, this.timeoutMs)
    try {
      await pipeline(message, watch.stream, sizeLimit(maxBytes, reader), createWriteStream(partial)).catch(
        error => {
          throw watch.explain(error)
        }
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
  const watch = watchBody(message, idleMs)
  await pipeline(
    message,
    watch.stream,
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
  ).catch(error => {
    throw watch.explain(error)
  })
}

/**
 * Passes an answer's body on, failing when no byte arrives for `idleMs`, and turns what the HTTP stack
 * reports about a broken body ("aborted") into what happened: silence, or a connection closed early.
 */
function watchBody(
  message: IncomingMessage,
  idleMs: number
): { stream: Transform; explain(error: unknown): unknown } {
  let timer: NodeJS.Timeout | undefined
  let received = 0
  let silent = false
  const silence = (): Error =>
    new Error(`no data for ${idleMs / 1000} s while reading the answer (request-timeout)`)
  // The HTTP client's socket time-out (the same limit) may end the connection first. The socket is
  // kept here: a kept-alive one leaves `message` when the answer ends, and must not keep the listener.
  const onSocketTimeout = (): void => void (silent = true)
  const socket = message.socket
  socket?.once('timeout', onSocketTimeout)
  const arm = (stream: Transform): void => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      silent = true
      message.destroy(silence())
      stream.destroy(silence())
    }, idleMs)
  }
  const explain = (error: unknown): unknown => {
    socket?.off('timeout', onSocketTimeout)
    if (silent) return silence()
    const code = (error as { code?: string }).code
    if (
      code === 'ECONNRESET' ||
      code === 'ERR_STREAM_PREMATURE_CLOSE' ||
      (error as Error).message === 'aborted'
    ) {
      const length = message.headers['content-length']
      return new Error(
        `the connection closed after ${received}${length ? ` of ${length}` : ''} bytes of the answer`
      )
    }
    return error
  }
  const stream: Transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length
      arm(stream)
      done(null, chunk)
    },
    flush(done) {
      clearTimeout(timer)
      socket?.off('timeout', onSocketTimeout)
      done()
    },
    destroy(error, done) {
      clearTimeout(timer)
      done(error)
    }
  })
  arm(stream)
  return { stream, explain }
}

/** The code of the error a report beyond the size limit ends with: no second try makes it smaller. */
export const REPORT_TOO_LARGE = 'ERR_REPORT_TOO_LARGE'

/** Passes at most `maxBytes` on, showing each chunk to `reader` first. */
function sizeLimit(maxBytes: number, reader?: (chunk: Buffer) => void): Transform {
  let size = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length
      if (size > maxBytes) {
        const error = new Error(`the report is larger than ${Math.round(maxBytes / 1048576)} MiB`)
        return done(Object.assign(error, { code: REPORT_TOO_LARGE }))
      }
      reader?.(chunk)
      done(null, chunk)
    }
  })
}
