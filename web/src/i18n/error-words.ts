/** The words for error codes: which translation says what went wrong, never a raw code alone. */
import type { Key } from './index'

const KNOWN_ERRORS = new Set([
  'bad_request', 'unauthorized', 'forbidden', 'not_found', 'board_not_found', 'conflict', 'payload_too_large',
  'invalid', 'rate_limited', 'board_locked', 'malformed', 'out_of_sync', 'vote_closed', 'budget_exhausted',
  'unavailable', 'internal', 'timeout', 'network',
])

/** The words for an error code; an unknown code still gets a sentence. */
export function errorKey(code: string): Key {
  return (KNOWN_ERRORS.has(code) ? `error.${code}` : 'error.internal') as Key
}

/**
 * Why a write was refused (the document is then synced afresh). `forbidden` on notes means a
 * note its writer may not change (only their own, unless the facilitator lets everyone change all);
 * on the layout, a link that may not change the board.
 */
export function refusalKey(code: string, document: 'layout' | 'notes' = 'layout'): Key {
  if (code === 'forbidden' && document === 'notes') return 'refusal.forbiddenNote'
  return code === 'board_locked' || code === 'forbidden' || code === 'rate_limited' || code === 'payload_too_large' || code === 'invalid'
    ? (`refusal.${code}` as Key)
    : 'refusal.other'
}

/** Why a picture sent for an image note was refused (docs/protocol.md section 2.11). */
export function imageRefusalKey(code: string): Key {
  return code === 'invalid' || code === 'payload_too_large' || code === 'rate_limited' || code === 'board_locked' || code === 'forbidden'
    ? (`image.refused.${code}` as Key)
    : 'image.refused.other'
}
