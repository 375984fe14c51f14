import type { VeracodeCredentials } from '../api/veracode-hmac.js'
import type { InputFields } from './input-fields.js'
import { isWholeUrl, namedLines } from './targets.js'

export type Region = 'us' | 'eu'

/** The Veracode DAST Essentials webhook base URL of each region. */
export const VERACODE_API_URLS: Record<Region, string> = {
  us: 'https://api.veracode.com/dae/api/core-api/webhook',
  eu: 'https://api.veracode.eu/dae/api/core-api/webhook'
}

/** What a credential's region prefix says: `e` EU, `f` FedRAMP, anything else (`g` global) the US API. */
type PrefixRegion = Region | 'fedramp'

interface Credential {
  /** The credential without its region prefix. */
  value: string
  prefixRegion?: PrefixRegion
  /** A `-` is present but what precedes it is not an 8-character prefix. */
  malformedPrefix?: boolean
}

export interface VeracodeInputs {
  /** Both credentials, without their region prefixes; absent when neither is given. */
  credentials?: VeracodeCredentials
  /** The region's webhook base URL, when credentials are given (an explicit URL takes precedence). */
  baseUrl?: string
}

const REGION_PREFIX = /^([A-Za-z0-9]{8})-(.*)$/s
const API_ID = /^[A-Za-z0-9]+$/
const API_KEY = /^(?:[0-9A-Fa-f]{2})+$/

/**
 * Reads `veracode-api-id`, `veracode-api-key` and `region`. Pure; the values are secrets, so no message
 * quotes them. The region is the input's, else the credentials' prefix's, else `us`.
 */
export function parseVeracodeInputs(fields: InputFields): VeracodeInputs {
  const { read, problem } = fields
  const rawId = read('veracode-api-id')
  const rawKey = read('veracode-api-key')
  const regionInput = read('region')
  const explicitRegion = regionInput === '' ? undefined : fields.oneOf<Region>('region')

  if (rawId === '' && rawKey === '') {
    if (explicitRegion) {
      problem(
        `'region' needs Veracode API credentials: set 'veracode-api-id' and 'veracode-api-key' too, or leave 'region' empty for the legacy Crashtest API`
      )
    }
    return {}
  }
  if (rawId === '' || rawKey === '') {
    const [given, missing] =
      rawId === '' ? ['veracode-api-key', 'veracode-api-id'] : ['veracode-api-id', 'veracode-api-key']
    problem(
      `'${missing}' is required when '${given}' is given: Veracode API credentials are an id and key pair`
    )
    return {}
  }

  const id = splitRegionPrefix(rawId)
  const key = splitRegionPrefix(rawKey)
  checkCredential('veracode-api-id', id, API_ID, 'letters and digits', problem)
  checkCredential('veracode-api-key', key, API_KEY, 'hexadecimal digits (an even number of them)', problem)

  const prefixRegions = [...new Set([id.prefixRegion, key.prefixRegion].filter(r => r !== undefined))]
  if (prefixRegions.length > 1) {
    problem(`the region prefixes of 'veracode-api-id' and 'veracode-api-key' name different regions`)
  }
  const region = explicitRegion ?? prefixRegions[0] ?? 'us'
  const credentials = { apiId: id.value, apiKey: key.value }
  if (region !== 'fedramp') return { credentials, baseUrl: VERACODE_API_URLS[region] }

  // No DAST Essentials webhook URL is known for Veracode's FedRAMP region: rather than guess one, ask for it.
  const webhooks = namedLines(read('webhook'))
  const urlGiven =
    read('api-url') !== '' || (webhooks.length > 0 && webhooks.every(line => isWholeUrl(line.value)))
  if (!urlGiven) {
    problem(
      `the Veracode API credentials are for the FedRAMP region, whose DAST Essentials webhook URL this action does not know: set 'api-url' to it (or 'region' to us or eu)`
    )
  }
  return { credentials }
}

/** The credential without an 8-character region prefix (`vera01ei-…` → `…`), and what the prefix says. */
function splitRegionPrefix(raw: string): Credential {
  const match = REGION_PREFIX.exec(raw)
  if (match) return { value: match[2] ?? '', prefixRegion: regionOfPrefix(match[1] ?? '') }
  return raw.includes('-') ? { value: raw, malformedPrefix: true } : { value: raw }
}

function regionOfPrefix(prefix: string): PrefixRegion {
  const marker = prefix[6]?.toLowerCase()
  return marker === 'e' ? 'eu' : marker === 'f' ? 'fedramp' : 'us'
}

/** Every form of a credential that must be masked: as given, and without its region prefix. */
export function credentialForms(raw: string): string[] {
  if (raw === '') return []
  const dash = raw.indexOf('-')
  // Whatever follows a `-` may be the credential itself, even when the prefix turns out to be malformed.
  return [...new Set([raw, splitRegionPrefix(raw).value, raw.slice(dash + 1)])].filter(Boolean)
}

function checkCredential(
  name: string,
  credential: Credential,
  pattern: RegExp,
  accepted: string,
  problem: InputFields['problem']
): void {
  if (credential.malformedPrefix) {
    problem(
      `'${name}' contains a '-' but does not start with an 8-character region prefix (as in vera01ei-…); give the credential as Veracode issued it`
    )
  } else if (!pattern.test(credential.value)) {
    problem(`'${name}' must be ${accepted}, optionally after an 8-character region prefix and '-'`)
  }
}
