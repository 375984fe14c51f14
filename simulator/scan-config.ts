// What the simulator knows of the scan configuration: the shape of the start payload, checked as a strict
// server would (JSON Schema), and the login endpoint of a scanned application for the built-in login flow.
import { Ajv, type ErrorObject } from 'ajv'
import { isDeepStrictEqual } from 'node:util'
import type { Fault } from './webhook-api.js'

/** Where the simulated application's login endpoint answers, on the simulator's own server. */
export const LOGIN_PATH = '/auth/login'

export interface LoginEndpoint {
  /** The JSON body a login must send; any other body is answered 401. */
  expectedBody: unknown
  /** The answer to a good login: JSON, or a raw text (for an answer that is not JSON). */
  answer: { json: unknown } | { text: string }
  /** Answers to give instead, one per request, before normal handling. */
  faults?: Fault[]
}

export interface SimpleAnswer {
  status: number
  body: string
  contentType: string
}

const credentials = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: { username: { type: 'string' }, password: { type: 'string' } }
}

/** The start payload as the API documents it: every key optional, nothing else allowed. */
const START_PAYLOAD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    system_authentication: {
      type: 'object',
      required: ['basic_auth'],
      additionalProperties: false,
      properties: { basic_auth: credentials }
    },
    application_authentication: {
      type: 'array',
      items: {
        ...credentials,
        required: ['username', 'password', 'url'],
        properties: { ...credentials.properties, url: { type: 'string' } }
      }
    },
    parameter_authentication: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'key', 'value'],
        additionalProperties: false,
        properties: { type: { const: 'HEADER' }, key: { type: 'string' }, value: { type: 'string' } }
      }
    },
    specs: {
      type: 'object',
      required: ['api_spec'],
      additionalProperties: false,
      properties: { api_spec: { type: 'object' } }
    }
  }
}

const validatePayload = new Ajv({ allErrors: true }).compile(START_PAYLOAD_SCHEMA)

/**
 * Why a strict server refuses this start request body (status and message), or undefined when it takes it.
 * An empty body is the documented start without configuration.
 */
export function startPayloadRefusal(
  contentType: string | undefined,
  body: string
): { status: number; message: string } | undefined {
  if (body.trim() === '') return undefined
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
    return { status: 415, message: 'The payload must be sent as Content-Type: application/json' }
  }
  let payload: unknown
  try {
    payload = JSON.parse(body)
  } catch {
    return { status: 400, message: 'The request body is not valid JSON' }
  }
  if (!validatePayload(payload)) {
    return { status: 400, message: `Invalid payload: ${describeErrors(validatePayload.errors ?? [])}` }
  }
  const { application_authentication: forms, specs } = payload as {
    application_authentication?: unknown[]
    specs?: unknown
  }
  if (forms && forms.length > 0 && specs) {
    return {
      status: 400,
      message:
        'Invalid payload: application_authentication is not allowed for API scan targets (specs.api_spec)'
    }
  }
  return undefined
}

function describeErrors(errors: ErrorObject[]): string {
  return errors
    .map(error => {
      const where =
        error.instancePath === '' ? 'the payload' : error.instancePath.slice(1).replace(/\//g, '.')
      if (error.keyword === 'additionalProperties') {
        return `${where} has an unknown field ${String(error.params.additionalProperty)}`
      }
      return `${where} ${error.message ?? 'is invalid'}`
    })
    .join('; ')
}

/** The simulated application's answer to a login request. */
export function loginAnswer(
  endpoint: LoginEndpoint,
  contentType: string | undefined,
  body: string
): SimpleAnswer {
  let credentials: unknown
  try {
    credentials = /^application\/json\s*(;|$)/i.test(contentType ?? '') ? JSON.parse(body) : undefined
  } catch {
    credentials = undefined
  }
  if (credentials === undefined || !isDeepStrictEqual(credentials, endpoint.expectedBody)) {
    // Like some real servers, the refusal echoes what it got: a client must never print a login answer.
    return jsonAnswer(401, { message: 'Invalid credentials', received: credentials ?? body })
  }
  if ('text' in endpoint.answer) {
    return { status: 200, body: endpoint.answer.text, contentType: 'text/html; charset=utf-8' }
  }
  return jsonAnswer(200, endpoint.answer.json)
}

export function jsonAnswer(status: number, value: unknown): SimpleAnswer {
  return { status, body: JSON.stringify(value), contentType: 'application/json' }
}
