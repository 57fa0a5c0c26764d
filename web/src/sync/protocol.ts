/** The wire protocol as data (docs/protocol.md): event, document and role names, error codes, frame types. */
// Mirrors server/protocol.py name for name; tests/unit/test_protocol.py fails when the two differ.
// Keep each table as `export const Name = { KEY: value } as const` so that test can read it.

export const PROTOCOL_VERSION = 1

/** Socket.IO event names. */
export const Event = {
  WELCOME: 'welcome',
  Y: 'y',
  VOTE: 'vote',
  VOTES: 'votes',
  PRIVATE_COUNT: 'private_count',
  BOARD_ERROR: 'board_error',
} as const

/**
 * The documents a client syncs (docs/board-schema.md). `private` is a participant's own document
 * during a private writing phase (docs/protocol.md section 7.2), opened on demand.
 */
export const DocName = {
  LAYOUT: 'layout',
  NOTES: 'notes',
  PRIVATE: 'private',
} as const

/** The documents every client syncs right after `welcome`. */
export const SHARED_DOCS = [DocName.LAYOUT, DocName.NOTES] as const
export type SharedDocName = (typeof SHARED_DOCS)[number]

export const Role = {
  FACILITATOR: 'facilitator',
  PARTICIPANT: 'participant',
  OBSERVER: 'observer',
} as const

/** Every error code a client can receive (docs/protocol.md sections 2 to 6). */
export const ErrorCode = {
  BAD_REQUEST: 'bad_request',
  UNAUTHORIZED: 'unauthorized',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
  BOARD_NOT_FOUND: 'board_not_found',
  CONFLICT: 'conflict',
  PAYLOAD_TOO_LARGE: 'payload_too_large',
  INVALID: 'invalid',
  RATE_LIMITED: 'rate_limited',
  BOARD_LOCKED: 'board_locked',
  MALFORMED: 'malformed',
  OUT_OF_SYNC: 'out_of_sync',
  VOTE_CLOSED: 'vote_closed',
  BUDGET_EXHAUSTED: 'budget_exhausted',
  UNAVAILABLE: 'unavailable',
  INTERNAL: 'internal',
} as const

/** The emoji a note can be reacted with (docs/board-schema.md, root `reactions`). */
export const Reaction = {
  THUMBS_UP: '👍',
  HEART: '❤️',
  LAUGH: '😂',
  SURPRISE: '😮',
  IDEA: '💡',
  QUESTION: '❓',
} as const

/** First var-uint of a frame (y-protocols). */
export const MessageType = {
  SYNC: 0,
  AWARENESS: 1,
} as const

/** Second var-uint of a sync frame (y-protocols/sync). */
export const SyncType = {
  STEP1: 0,
  STEP2: 1,
  UPDATE: 2,
} as const

export type EventName = (typeof Event)[keyof typeof Event]
export type DocNameValue = (typeof DocName)[keyof typeof DocName]
export type RoleValue = (typeof Role)[keyof typeof Role]
export type ReactionValue = (typeof Reaction)[keyof typeof Reaction]
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode]

/**
 * Codes the client makes up itself, never sent by the server: an acknowledgement that did not come
 * back in time, or a connection that failed below Socket.IO. Kept apart so the mirror stays exact.
 */
export const ClientErrorCode = {
  TIMEOUT: 'timeout',
  NETWORK: 'network',
} as const
export type ClientErrorCodeValue = (typeof ClientErrorCode)[keyof typeof ClientErrorCode]

export type AnyErrorCode = ErrorCodeValue | ClientErrorCodeValue

/** Why a wiki did not publish (docs/exports.md): a key, and whether the entry may exist anyway. */
export interface WikiFailure {
  reason: string
  mayExist: boolean
}

export interface WireError {
  code: AnyErrorCode
  message: string
  /** Only on a publish refused by the wiki (502). */
  wiki?: WikiFailure
}

/** The acknowledgement of a `y` write: `{ok: true}` once stored durably, or a refusal. */
export type Ack = { ok: true } | { ok: false; error: WireError }

export interface Limits {
  maxMessageBytes: number
  maxBoardBytes?: number
  maxNoteChars: number
  maxNotes: number
  writesPerSecond?: number
  writeBurst?: number
  maxPresenceBytes?: number
  /** After a lock, how long the note being written may still be finished (docs/protocol.md section 7.1). */
  lockGraceMs?: number
}

export interface Welcome {
  boardId: string
  role: RoleValue
  participantId: string
  /** Only when this connection got a new identity: present it at every later connection. */
  credential?: string
  serverTime: number
  protocolVersion?: number
  limits: Limits
}

/** What the client falls back to before `welcome` says otherwise (docs/board-schema.md, Limits). */
export const DEFAULT_LIMITS: Limits = {
  maxMessageBytes: 1024 * 1024,
  maxNoteChars: 2000,
  maxNotes: 5000,
}

const ALL_CODES = new Set<string>([...Object.values(ErrorCode), ...Object.values(ClientErrorCode)])

/** Reads a wire error defensively: anything unexpected becomes `internal`. */
export function asWireError(value: unknown): WireError {
  if (typeof value === 'object' && value !== null) {
    const { code, message, wiki } = value as { code?: unknown; message?: unknown; wiki?: unknown }
    if (typeof code === 'string' && ALL_CODES.has(code)) {
      const error: WireError = { code: code as AnyErrorCode, message: typeof message === 'string' ? message : '' }
      const failure = asWikiFailure(wiki)
      if (failure) error.wiki = failure
      return error
    }
  }
  return { code: ErrorCode.INTERNAL, message: String(value) }
}

function asWikiFailure(value: unknown): WikiFailure | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { reason, mayExist } = value as { reason?: unknown; mayExist?: unknown }
  return typeof reason === 'string' && typeof mayExist === 'boolean' ? { reason, mayExist } : undefined
}

/** Reads an acknowledgement defensively. */
export function asAck(value: unknown): Ack {
  if (typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === true) {
    return { ok: true }
  }
  const error = typeof value === 'object' && value !== null ? (value as { error?: unknown }).error : value
  return { ok: false, error: asWireError(error) }
}
