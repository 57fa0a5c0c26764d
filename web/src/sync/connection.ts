/** The Socket.IO connection to a board: its status, `y` frames with acknowledgements, votes, reconnection. */
// It knows nothing of Yjs: the status is a union, frames are bytes.
import { io, type Socket } from 'socket.io-client'
import { boardIdentity, rememberBoardIdentity } from '../lib/storage'
import {
  type Ack,
  type AnyErrorCode,
  ClientErrorCode,
  ErrorCode,
  Event,
  type Welcome,
  asAck,
  asWireError,
} from './protocol'

export type ConnectionStatus =
  | { kind: 'connecting' }
  | { kind: 'online'; welcome: Welcome }
  /** `refused`: the server turned the connection down for now (e.g. `unavailable`: it cannot store). */
  | { kind: 'offline'; refused?: AnyErrorCode }
  | { kind: 'error'; code: AnyErrorCode; message: string }

/** Who connects: the credential the server issued earlier (docs/protocol.md section 3), and the name. */
export interface Participant {
  credential?: string
  name: string
}

export interface BoardAuth {
  board: string
  token: string
  participant: Participant
}

/** What document sync and presence need from a connection; tests give them a fake. */
export interface FrameChannel {
  readonly online: boolean
  send(doc: string, frame: Uint8Array): Promise<Ack>
  /** Dropped rather than queued while offline: presence is stale by the time we reconnect. */
  sendVolatile(doc: string, frame: Uint8Array): void
  onFrame(listener: (doc: string, frame: Uint8Array) => void): () => void
  onStatus(listener: (status: ConnectionStatus) => void): () => void
}

// A durable write is acknowledged after the server's group commit (well under a second); past
// this the connection is most likely gone, and the next handshake carries the change anyway.
const ACK_TIMEOUT_MS = 15_000
// Connection refusals that no retry can fix: the link itself is wrong.
const FATAL_CONNECT_CODES: ReadonlySet<string> = new Set([
  ErrorCode.BOARD_NOT_FOUND,
  ErrorCode.UNAUTHORIZED,
  ErrorCode.BAD_REQUEST,
])
// A training room shares one address; after `rate_limited` wait a little, with jitter so 200
// laptops do not come back in the same second.
const RATE_LIMIT_RETRY_MS = 5_000

export class Connection implements FrameChannel {
  private readonly socket: Socket
  private current: ConnectionStatus = { kind: 'connecting' }
  private welcomed = false
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>()
  private readonly frameListeners = new Set<(doc: string, frame: Uint8Array) => void>()
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private readonly votesListeners = new Set<(payload: unknown) => void>()
  private readonly privateCountListeners = new Set<(payload: unknown) => void>()

  constructor(url: string, private readonly auth: BoardAuth) {
    // The identity this browser was given on this board: a reload is the same person.
    auth.participant.credential ??= boardIdentity(auth.board)?.credential
    if (auth.participant.credential === undefined) delete auth.participant.credential
    this.socket = io(url, {
      // WebSocket first; long-polling when a proxy blocks WebSocket (docs/protocol.md section 3).
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      autoConnect: false,
      auth: { ...auth, participant: { ...auth.participant } },
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      randomizationFactor: 0.5,
    })
    this.socket.on(Event.WELCOME, (welcome: Welcome) => {
      if (typeof welcome.credential === 'string' && welcome.credential) {
        // A new identity: kept, and presented at every reconnection from now on.
        rememberBoardIdentity(this.auth.board, { participantId: welcome.participantId, credential: welcome.credential })
        this.auth.participant.credential = welcome.credential
        this.socket.auth = { ...this.auth, participant: { ...this.auth.participant } }
      }
      this.welcomed = true
      this.setStatus({ kind: 'online', welcome })
    })
    this.socket.on(Event.Y, (doc: unknown, frame: unknown) => {
      if (typeof doc !== 'string' || !(frame instanceof ArrayBuffer || ArrayBuffer.isView(frame))) return
      const bytes = frame instanceof ArrayBuffer
        ? new Uint8Array(frame)
        : new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength)
      for (const listener of this.frameListeners) listener(doc, bytes)
    })
    this.socket.on(Event.VOTES, (payload: unknown) => {
      for (const listener of this.votesListeners) listener(payload)
    })
    this.socket.on(Event.PRIVATE_COUNT, (payload: unknown) => {
      for (const listener of this.privateCountListeners) listener(payload)
    })
    this.socket.on(Event.BOARD_ERROR, (data: unknown) => {
      const error = asWireError(data)
      this.setStatus({ kind: 'error', code: error.code, message: error.message })
    })
    this.socket.on('connect_error', (err: Error & { data?: unknown }) => this.onConnectError(err))
    this.socket.on('disconnect', (reason) => {
      this.welcomed = false
      // Frames queued by socket.io while disconnected would be sent on reconnection before the
      // handshake, building on changes the server may not have yet (answered `out_of_sync`, and
      // a resync would then drop them). The handshake's sync step 2 carries them instead.
      this.socket.sendBuffer = []
      if (this.current.kind === 'error') return
      if (reason === 'io client disconnect') return
      this.setStatus({ kind: 'offline' })
      // The server closed the connection without a board_error: try again as for a network cut.
      if (reason === 'io server disconnect') this.retryLater(RATE_LIMIT_RETRY_MS)
    })
  }

  get status(): ConnectionStatus {
    return this.current
  }

  get online(): boolean {
    return this.socket.connected && this.welcomed
  }

  connect(): void {
    this.setStatus({ kind: 'connecting' })
    this.socket.connect()
  }

  /** The name travels in `auth`, so a changed name is what the next (re)connection presents. */
  setParticipantName(name: string): void {
    this.auth.participant.name = name
    this.socket.auth = { ...this.auth, participant: { ...this.auth.participant } }
  }

  close(): void {
    clearTimeout(this.retryTimer)
    this.socket.disconnect()
    this.statusListeners.clear()
    this.frameListeners.clear()
  }

  async send(doc: string, frame: Uint8Array): Promise<Ack> {
    try {
      const reply: unknown = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(Event.Y, doc, frame)
      return asAck(reply)
    } catch {
      return { ok: false, error: { code: ClientErrorCode.TIMEOUT, message: 'no acknowledgement' } }
    }
  }

  sendVolatile(doc: string, frame: Uint8Array): void {
    if (this.online) this.socket.volatile.emit(Event.Y, doc, frame)
  }

  onFrame(listener: (doc: string, frame: Uint8Array) => void): () => void {
    this.frameListeners.add(listener)
    return () => this.frameListeners.delete(listener)
  }

  /** `votes` events (docs/protocol.md section 5), as received: read them with asVotesPayload. */
  onVotes(listener: (payload: unknown) => void): () => void {
    this.votesListeners.add(listener)
    return () => this.votesListeners.delete(listener)
  }

  /** `private_count` events (docs/protocol.md section 7.2, facilitators only), as received. */
  onPrivateCount(listener: (payload: unknown) => void): () => void {
    this.privateCountListeners.add(listener)
    return () => this.privateCountListeners.delete(listener)
  }

  /** A `vote`; resolves with the raw acknowledgement (a timeout becomes a `timeout` error). */
  async vote(noteId: string, delta: 1 | -1): Promise<unknown> {
    try {
      return await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(Event.VOTE, { noteId, delta })
    } catch {
      return { ok: false, error: { code: ClientErrorCode.TIMEOUT, message: 'no acknowledgement' } }
    }
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  private onConnectError(err: Error & { data?: unknown }): void {
    const data = err.data
    if (data !== undefined && data !== null && typeof data === 'object' && 'code' in data) {
      const error = asWireError(data)
      if (FATAL_CONNECT_CODES.has(error.code)) {
        this.setStatus({ kind: 'error', code: error.code, message: error.message })
        return
      }
      // A refusal stops socket.io's own reconnection; rate_limited and unavailable (the server
      // cannot store for now) are worth another try.
      this.setStatus({ kind: 'offline', refused: error.code })
      this.retryLater(RATE_LIMIT_RETRY_MS)
      return
    }
    // Below Socket.IO (server down, network cut): socket.io keeps retrying by itself.
    this.setStatus(this.socket.active ? { kind: 'offline' } : {
      kind: 'error', code: ClientErrorCode.NETWORK, message: err.message,
    })
  }

  private retryLater(baseMs: number): void {
    clearTimeout(this.retryTimer)
    const delay = baseMs * (0.75 + Math.random() / 2)
    this.retryTimer = setTimeout(() => {
      if (!this.socket.connected) this.socket.connect()
    }, delay)
  }

  private setStatus(status: ConnectionStatus): void {
    this.current = status
    for (const listener of this.statusListeners) listener(status)
  }
}
