/** One document's sync over a connection (docs/protocol.md section 4): handshake, acknowledged writes, resync after a refusal, held edits while the server cannot store. */
// The handshake starts after each `welcome`; a refused write drops our copy for a fresh one; a
// write answered `unavailable` is kept and sent again later, merged with the edits made meanwhile.
import * as Y from 'yjs'
import type { ConnectionStatus, FrameChannel } from './connection'
import { frameUpdate, readFrame, step1Frame, updateFrame } from './frames'
import { type Ack, ClientErrorCode, ErrorCode, type WireError } from './protocol'

// The server's write bucket refills every second; asking again sooner would only be refused.
const STEP1_RETRY_MS = 1_500
// While the server cannot store (`unavailable`), held edits are sent again after this, then after
// twice as long each time, up to the maximum (with jitter, so that a room does not come back at once).
export const HELD_RETRY_FIRST_MS = 1_000
export const HELD_RETRY_MAX_MS = 10_000

/** Transaction origin of changes that came from the server: never sent back. */
export const REMOTE = Symbol('remote')

/** `paused`: the server cannot store for now; the edits are kept and sent again by themselves. */
export type SaveState = 'saved' | 'saving' | 'unsent' | 'paused'

export interface DocSyncHooks {
  /** A write was refused: the document was dropped and is being synced afresh. */
  onRefused?: (error: WireError) => void
  /** The document was replaced by a fresh copy (after a refusal): rebind everything to it. */
  onReplaced?: (doc: Y.Doc, old: Y.Doc) => void
  /** The first complete sync (the server's sync step 2) since the start or the last replacement. */
  onSynced?: () => void
  onSaveState?: (state: SaveState) => void
  /** Awareness frames for this document (only `notes` carries them). */
  onAwareness?: (update: Uint8Array) => void
}

export class DocSync {
  /** The copy the application reads and edits. */
  doc: Y.Doc
  /** A fresh copy being synced after a refusal; it replaces `doc` once the server's step 2 is in. */
  private next: Y.Doc | null = null
  private synced = false
  /** We answered the server's sync step 1 on this connection: updates may now go out directly. */
  private answered = false
  private inFlight = 0
  private unsent = false
  /** Edits answered `unavailable` (and those made since): sent again together, later. */
  private held: Uint8Array[] = []
  private heldRetryMs = HELD_RETRY_FIRST_MS
  private heldTimer: ReturnType<typeof setTimeout> | undefined
  private readonly unsubscribe: Array<() => void> = []

  constructor(
    private readonly channel: FrameChannel,
    readonly name: string,
    private readonly hooks: DocSyncHooks = {},
  ) {
    this.doc = this.newDoc()
    this.unsubscribe.push(
      channel.onFrame((doc, frame) => {
        if (doc === this.name) this.receive(frame)
      }),
      channel.onStatus((status) => this.onStatus(status)),
    )
  }

  get isSynced(): boolean {
    return this.synced
  }

  get saveState(): SaveState {
    if (this.held.length > 0) return 'paused'
    if (this.unsent) return 'unsent'
    return this.inFlight > 0 ? 'saving' : 'saved'
  }

  /** Start the handshake now if the connection is already up (otherwise `welcome` starts it). */
  start(): void {
    if (this.channel.online) this.sendStep1(this.next ?? this.doc)
  }

  destroy(): void {
    clearTimeout(this.heldTimer)
    for (const off of this.unsubscribe) off()
    this.next?.destroy()
    this.doc.destroy()
  }

  /** Drop our copy and sync a new one, with a new client id (docs/protocol.md section 4). */
  resync(): void {
    this.next?.destroy()
    this.next = this.newDoc()
    this.unsent = false
    this.dropHeld()
    if (this.channel.online) this.sendStep1(this.next)
  }

  private newDoc(): Y.Doc {
    const doc = new Y.Doc()
    doc.on('update', (update: Uint8Array, origin: unknown) => this.onLocalUpdate(doc, update, origin))
    return doc
  }

  private onLocalUpdate(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
    if (origin === REMOTE) return
    // Edits to a copy being dropped would build on the refused change: they are lost with it.
    if (doc !== this.doc || this.next !== null) return
    if (!this.channel.online || !this.answered) {
      // Not queued: the next handshake's sync step 2 carries everything the server lacks.
      this.setUnsent(true)
      return
    }
    if (this.held.length > 0) {
      // Would build on held edits the server does not have: it goes with them, later.
      this.held.push(update)
      return
    }
    void this.write(doc, updateFrame(update), update)
  }

  private onStatus(status: ConnectionStatus): void {
    if (status.kind === 'online') {
      this.answered = false
      this.sendStep1(this.next ?? this.doc)
    } else {
      this.answered = false
      if (this.inFlight > 0) this.setUnsent(true)
    }
  }

  private sendStep1(doc: Y.Doc): void {
    void this.channel.send(this.name, step1Frame(doc)).then((ack) => {
      if (ack.ok || ack.error.code === ClientErrorCode.TIMEOUT) return
      // A step 1 changes nothing, so no resync: only ask again (rate limits are per second).
      if (ack.error.code === ErrorCode.RATE_LIMITED) {
        setTimeout(() => {
          if (this.channel.online && doc === (this.next ?? this.doc)) this.sendStep1(doc)
        }, STEP1_RETRY_MS)
      } else {
        this.hooks.onRefused?.(ack.error)
      }
    })
  }

  private receive(frame: Uint8Array): void {
    const target = this.next ?? this.doc
    let result
    try {
      result = readFrame(frame, target, REMOTE)
    } catch (error) {
      // A frame we cannot read: our copy may now miss something, so take a fresh one.
      console.warn(`ardoise: unreadable ${this.name} frame`, error)
      this.resync()
      return
    }
    switch (result.kind) {
      case 'step1':
        // Our answer is a write like any other: it may carry edits made while offline.
        this.answered = true
        void this.write(target, result.reply, frameUpdate(result.reply), true).then((ack) => {
          if (ack.ok) this.setUnsent(false)
        })
        break
      case 'step2':
        if (this.next !== null && target === this.next) this.swap()
        else if (!this.synced) {
          this.synced = true
          this.hooks.onSynced?.()
        }
        break
      case 'awareness':
        this.hooks.onAwareness?.(result.update)
        break
      case 'update':
        break
    }
  }

  private swap(): void {
    const old = this.doc
    this.doc = this.next as Y.Doc
    this.next = null
    this.synced = true
    this.hooks.onReplaced?.(this.doc, old)
    this.hooks.onSynced?.()
    old.destroy()
  }

  /**
   * `update` is what the frame carries; `handshake`: the answer to the server's step 1, which
   * carries everything the server lacks, held edits included.
   */
  private async write(doc: Y.Doc, frame: Uint8Array, update: Uint8Array, handshake = false): Promise<Ack> {
    this.inFlight += 1
    this.emitSaveState()
    const ack = await this.channel.send(this.name, frame)
    this.inFlight -= 1
    if (ack.ok && handshake && doc === this.doc) {
      // Acknowledged once stored, with everything the server held before it: nothing is held now.
      this.dropHeld()
    }
    if (!ack.ok) {
      if (ack.error.code === ClientErrorCode.TIMEOUT) {
        // Lost with the connection, not refused: the next handshake carries it.
        this.setUnsent(true)
      } else if (ack.error.code === ErrorCode.UNAVAILABLE) {
        // The server cannot store now: nothing is wrong with the edit; kept, sent again later.
        if (doc === this.doc && this.next === null) this.hold(handshake ? [update] : [...this.held, update])
      } else if (doc === this.doc && this.next === null) {
        // Only the first refusal from a copy counts: later ones are its consequences.
        this.resync()
        this.hooks.onRefused?.(ack.error)
      }
    }
    this.emitSaveState()
    return ack
  }

  private hold(updates: Uint8Array[]): void {
    const wasHeld = this.held.length > 0
    this.held = updates
    if (!wasHeld) {
      this.heldRetryMs = HELD_RETRY_FIRST_MS
      this.retryHeldLater()
    }
  }

  private dropHeld(): void {
    clearTimeout(this.heldTimer)
    this.heldTimer = undefined
    this.held = []
    this.heldRetryMs = HELD_RETRY_FIRST_MS
  }

  private retryHeldLater(): void {
    clearTimeout(this.heldTimer)
    const delay = this.heldRetryMs * (0.75 + Math.random() / 2)
    this.heldRetryMs = Math.min(this.heldRetryMs * 2, HELD_RETRY_MAX_MS)
    this.heldTimer = setTimeout(() => void this.sendHeld(), delay)
  }

  /** Held edits, merged into one update; after a reconnection the handshake carries them instead. */
  private async sendHeld(): Promise<void> {
    this.heldTimer = undefined
    if (this.held.length === 0) return
    if (!this.channel.online || !this.answered) {
      this.retryHeldLater()
      return
    }
    const doc = this.doc
    const sending = this.held.length
    this.inFlight += 1
    this.emitSaveState()
    const ack = await this.channel.send(this.name, updateFrame(Y.mergeUpdates(this.held)))
    this.inFlight -= 1
    if (doc !== this.doc || this.held.length === 0) {
      this.emitSaveState()
      return
    }
    if (ack.ok) {
      this.held.splice(0, sending)
      this.heldRetryMs = HELD_RETRY_FIRST_MS
      // Edits made while these were sent follow at once.
      if (this.held.length > 0) void this.sendHeld()
    } else if (ack.error.code === ErrorCode.UNAVAILABLE || ack.error.code === ClientErrorCode.TIMEOUT) {
      this.retryHeldLater()
    } else {
      this.resync()
      this.hooks.onRefused?.(ack.error)
    }
    this.emitSaveState()
  }

  private setUnsent(value: boolean): void {
    if (this.unsent === value) return
    this.unsent = value
    this.emitSaveState()
  }

  private emitSaveState(): void {
    this.hooks.onSaveState?.(this.saveState)
  }
}
