/** A board server in memory for the unit tests, behind the FrameChannel seam: same frames as the real one (docs/protocol.md section 4). */
// It acknowledges, relays, and can refuse writes; the real server is exercised by the browser tests.
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { ConnectionStatus, FrameChannel } from './connection'
import { step1Frame } from './frames'
import { type Ack, MessageType, type Welcome } from './protocol'

export class FakeServer {
  readonly docs = new Map<string, Y.Doc>([['layout', new Y.Doc()], ['notes', new Y.Doc()]])
  readonly clients = new Set<FakeChannel>()
  /** Return a refusal code to refuse a write (nothing applied, stored or relayed). */
  refuse: ((doc: string, client: FakeChannel) => string | null) | null = null

  doc(name: string): Y.Doc {
    return this.docs.get(name) as Y.Doc
  }

  receive(client: FakeChannel, name: string, frame: Uint8Array): Ack {
    const doc = this.docs.get(name)
    if (!doc) return { ok: false, error: { code: 'malformed', message: 'unknown document' } }
    const decoder = decoding.createDecoder(frame)
    const type = decoding.readVarUint(decoder)
    if (type === MessageType.AWARENESS) {
      for (const other of this.clients) if (other !== client && other.online) other.deliver(name, frame)
      return { ok: true }
    }
    const syncType = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.SYNC)
      syncProtocol.writeSyncStep2(encoder, doc, payload)
      client.deliver(name, encoding.toUint8Array(encoder))
      return { ok: true }
    }
    const before = Y.encodeStateVector(doc)
    const probe = new Y.Doc()
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc))
    Y.applyUpdate(probe, payload)
    const adds = !sameVector(Y.encodeStateVector(probe), before) || deletesSomething(payload)
    if (adds) {
      const code = this.refuse?.(name, client)
      if (code) return { ok: false, error: { code: code as 'board_locked', message: 'refused' } }
    }
    Y.applyUpdate(doc, payload)
    const relay = encoding.createEncoder()
    encoding.writeVarUint(relay, MessageType.SYNC)
    syncProtocol.writeUpdate(relay, payload)
    const bytes = encoding.toUint8Array(relay)
    for (const other of this.clients) if (other !== client && other.online) other.deliver(name, bytes)
    return { ok: true }
  }
}

function sameVector(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

function deletesSomething(update: Uint8Array): boolean {
  return Y.decodeUpdate(update).ds.clients.size > 0
}

let nextParticipant = 1

/** One client's connection to the fake server; `goOnline`/`goOffline` play the network. */
export class FakeChannel implements FrameChannel {
  online = false
  /** Every frame sent, and whether on the volatile path (which a busy socket drops). */
  readonly sent: Array<{ doc: string; frame: Uint8Array; volatile?: true }> = []
  private readonly frameListeners = new Set<(doc: string, frame: Uint8Array) => void>()
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>()
  readonly welcome: Welcome

  constructor(private readonly server: FakeServer, role: Welcome['role'] = 'participant') {
    this.welcome = {
      boardId: 'b', role, participantId: `p${nextParticipant++}`, serverTime: Date.now(),
      limits: { maxMessageBytes: 1 << 20, maxNoteChars: 2000, maxNotes: 5000 },
    }
    server.clients.add(this)
  }

  async send(doc: string, frame: Uint8Array): Promise<Ack> {
    this.sent.push({ doc, frame })
    await Promise.resolve()
    if (!this.online) return { ok: false, error: { code: 'timeout', message: 'offline' } }
    return this.server.receive(this, doc, frame)
  }

  sendVolatile(doc: string, frame: Uint8Array): void {
    this.sent.push({ doc, frame, volatile: true })
    if (this.online) this.server.receive(this, doc, frame)
  }

  deliver(doc: string, frame: Uint8Array): void {
    queueMicrotask(() => {
      if (this.online) for (const listener of this.frameListeners) listener(doc, frame)
    })
  }

  onFrame(listener: (doc: string, frame: Uint8Array) => void): () => void {
    this.frameListeners.add(listener)
    return () => this.frameListeners.delete(listener)
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  /** Connect: `welcome`, then the server's sync step 1 for each document (docs/protocol.md section 4). */
  goOnline(): void {
    this.online = true
    for (const listener of this.statusListeners) listener({ kind: 'online', welcome: this.welcome })
    for (const [name, doc] of this.server.docs) this.deliver(name, step1Frame(doc))
  }

  goOffline(): void {
    this.online = false
    for (const listener of this.statusListeners) listener({ kind: 'offline' })
  }
}

/** Lets queued microtasks and promise chains run (the fake delivers asynchronously). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}
