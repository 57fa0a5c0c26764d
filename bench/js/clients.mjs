// Simulated participants: one class per server protocol, with the same surface, so that the
// workload and the latency tracker never know which server they are talking to.
//
// Each participant is a real client holding real Y.Docs for both board documents (`layout`,
// `notes`): every frame it receives is applied to its documents, exactly as a browser would.
// Presence (awareness) frames are read and dropped: the benchmark writes none.
//
//   ArdoiseClient     Socket.IO + y-websocket frames, acknowledged writes (docs/protocol.md),
//                     spoken by LeanArdoiseClient (its own few lines on a WebSocket: the default) or
//                     SocketIoArdoiseClient (socket.io-client, the browser client's library)
//   HocuspocusClient  one WebSocket multiplexing both documents, Hocuspocus's own framing
//                     (document name, message type, y-protocols sync), SyncStatus as the "ack"

import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { io } from 'socket.io-client'
import WebSocket from 'ws'

export const DOC_NAMES = ['layout', 'notes']

/** y-websocket message types (first var-uint of a frame) and sync sub-types. */
const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
const SYNC_STEP1 = 0
const SYNC_STEP2 = 1
const SYNC_UPDATE = 2

/** Hocuspocus's extra message types (@hocuspocus/server src/types.ts) and auth sub-types. */
const HP_AUTH = 2
const HP_SYNC_REPLY = 4
const HP_SYNC_STATUS = 8
const HP_AUTH_TOKEN = 0
const HP_AUTH_DENIED = 1

/** Transaction origin of changes received from the server: they are never sent back. */
const REMOTE = Symbol('remote')

/** How long a connection, a handshake or an acknowledgement may take before it counts as failed. */
const TIMEOUT_MS = 30_000

function syncFrame (subType, payload) {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, subType)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

function asBytes (data) {
  // ws and engine.io hand over Buffers (already Uint8Arrays); copy only what is not one.
  return data instanceof Uint8Array ? data : new Uint8Array(data)
}

/**
 * What both clients share: the documents, local edits turned into one update each, and the
 * bookkeeping of the handshake. `hooks.onRemoteUpdate(client, docName, update)` is called for every
 * update received after the handshake, as it arrives (the latency tracker listens there).
 */
class BoardClient {
  /** applyEveryMs: see `applyRemote`; 0 applies what one socket read brought at once. */
  constructor (hooks, applyEveryMs = 0) {
    this.hooks = hooks
    this.applyEveryMs = applyEveryMs
    this.docs = {}
    for (const name of DOC_NAMES) this.docs[name] = new Y.Doc()
    this.synced = new Set()
    this.pending = Object.fromEntries(DOC_NAMES.map((name) => [name, []]))
    this.onSynced = null
    this.closed = false
  }

  /** Resolves once both documents have had the server's sync step 2. */
  whenSynced () {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('handshake timed out')), TIMEOUT_MS)
      this.onSynced = (error) => {
        clearTimeout(timer)
        this.onSynced = null
        if (error) reject(error)
        else resolve()
      }
    })
  }

  /** Runs `edit(doc)` in one transaction and returns the single update it produced. */
  change (name, edit) {
    // Listening only while editing: with an 'update' listener in place, Yjs encodes every
    // received update again for it, a cost no browser client pays for remote changes.
    const doc = this.docs[name]
    let update = null
    const capture = (bytes) => { update = bytes }
    doc.on('update', capture)
    try {
      doc.transact(() => edit(doc))
    } finally {
      doc.off('update', capture)
    }
    return update
  }

  applyRemote (name, subType, payload) {
    if (subType === SYNC_STEP2) {
      Y.applyUpdate(this.docs[name], payload, REMOTE)
      this.synced.add(name)
      if (this.synced.size === DOC_NAMES.length && this.onSynced) this.onSynced(null)
      return
    }
    // The arrival is recorded now, when the update leaves the socket client: what the server
    // did. Applying it comes after: every Yjs transaction walks the document's whole state
    // vector twice (200 writers), which made applying each update at once the load generator's
    // biggest cost (each worker holds 100 participants; a browser holds one). So what arrives
    // within `applyEveryMs` (a frame, by default) is applied in one transaction; the documents
    // end up the same.
    this.hooks.onRemoteUpdate(this, name, payload)
    const pending = this.pending[name]
    pending.push(payload)
    if (pending.length > 1) return
    if (this.applyEveryMs > 0) setTimeout(() => this.flush(name), this.applyEveryMs)
    else queueMicrotask(() => this.flush(name))
  }

  flush (name) {
    const pending = this.pending[name]
    this.pending[name] = []
    if (this.closed) return
    const doc = this.docs[name]
    if (pending.length === 1) {
      Y.applyUpdate(doc, pending[0], REMOTE)
    } else {
      doc.transact(() => {
        for (const update of pending) Y.applyUpdate(doc, update, REMOTE)
      }, REMOTE)
    }
  }

  fail (error) {
    if (this.onSynced) this.onSynced(error)
  }

  destroy () {
    for (const doc of Object.values(this.docs)) doc.destroy()
  }
}

/**
 * A participant of Ardoise (docs/protocol.md sections 3 and 4): the handshake, received frames and
 * acknowledged writes. How Socket.IO is spoken (`connect`, `send`, `close`) is a subclass's.
 */
class ArdoiseClient extends BoardClient {
  /** target: {url, board, token, deflate, applyEveryMs}; who: {id, name} */
  constructor (target, who, hooks) {
    super(hooks, target.applyEveryMs)
    this.target = target
    this.who = who
  }

  /** The server names who we are: the notes we write carry that id (docs/board-schema.md). */
  welcomed (welcome) {
    this.who.authorId = welcome.participantId
    this.handshake()
  }

  /** Our half of the handshake: our state vector for each document. */
  handshake () {
    for (const name of DOC_NAMES) {
      this.checked(this.send(name, syncFrame(SYNC_STEP1, Y.encodeStateVector(this.docs[name]))))
    }
  }

  /** A handshake message's acknowledgement: a refusal fails the connection, unless we left. */
  checked (acked) {
    acked.then(
      (ack) => { if (!ack || ack.ok !== true) this.fail(new Error(`refused: ${JSON.stringify(ack)}`)) },
      (error) => { if (!this.closed) this.fail(error) }
    )
  }

  receive (name, frame) {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return // presence: not simulated
    const subType = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    if (subType === SYNC_STEP1) {
      // The server's step 1: answer with what it lacks (acknowledged like any write).
      this.checked(this.send(name, syncFrame(SYNC_STEP2, Y.encodeStateAsUpdate(this.docs[name], payload))))
      return
    }
    this.applyRemote(name, subType, payload)
  }

  /** Sends one local update as an acknowledged write; resolves true once durably stored. */
  async write (name, update) {
    const ack = await this.send(name, syncFrame(SYNC_UPDATE, update))
    if (!ack || ack.ok !== true) throw new Error(`write refused: ${JSON.stringify(ack)}`)
    return true
  }
}

/** The participant through socket.io-client, the library the browser client uses. */
export class SocketIoArdoiseClient extends ArdoiseClient {
  constructor (target, who, hooks) {
    super(target, who, hooks)
    // forceNew: every participant has its own connection, as every browser does.
    this.socket = io(target.url, {
      transports: ['websocket'],
      // Browsers always offer permessage-deflate; see `deflate` in loadgen.mjs for why the
      // simulated participants only do when asked.
      perMessageDeflate: target.deflate ? { threshold: 1024 } : false,
      forceNew: true,
      reconnection: false,
      autoConnect: false,
      auth: { board: target.board, token: target.token, participant: who }
    })
    this.socket.on('welcome', (welcome) => this.welcomed(welcome))
    this.socket.on('y', (name, frame) => this.receive(name, asBytes(frame)))
    this.socket.on('connect_error', (err) => this.fail(new Error(`connect_error: ${err.message}`)))
    this.socket.on('disconnect', (reason) => {
      if (!this.closed) this.fail(new Error(`disconnected: ${reason}`))
    })
  }

  connect () {
    const synced = this.whenSynced()
    this.socket.connect()
    return synced
  }

  /** Sends a frame; resolves with the acknowledgement ({ok: true} or a refusal). */
  send (name, frame) {
    return this.socket.timeout(TIMEOUT_MS).emitWithAck('y', name, frame)
  }

  close () {
    this.closed = true
    this.socket.disconnect()
    this.destroy()
  }
}

/** Socket.IO v5 packet types (socket.io-parser) on Engine.IO v4 messages (engine.io-parser). */
const EIO_OPEN = '0'
const EIO_CLOSE = '1'
const EIO_PING = '2'
const EIO_PONG = '3'
const EIO_MESSAGE = '4'
const SIO_CONNECT = '0'
const SIO_EVENT = '2'
const SIO_ACK = '3'
const SIO_CONNECT_ERROR = '4'
const SIO_BINARY_EVENT = '5'

/**
 * The same participant speaking Socket.IO itself on a plain WebSocket (`ws`), as the Hocuspocus
 * participants speak Hocuspocus's protocol: what reaches the server is the same frames, in the
 * same order, as socket.io-client sends (Engine.IO v4 over WebSocket, Socket.IO v5 packets, a
 * binary event as its JSON header then one binary frame). With socket.io-client's layers (manager,
 * engine, transport, parser, emitter) a worker was about a sixth busier at 100 writes/s (paired
 * runs), saturated first, and Ardoise's tails were partly its own (BENCHMARKS.md). Only what the benchmark needs is spoken: the default namespace, event
 * acknowledgements, binary events with one attachment, ping/pong.
 */
export class LeanArdoiseClient extends ArdoiseClient {
  constructor (target, who, hooks) {
    super(target, who, hooks)
    this.ws = null
    this.nextAckId = 0
    this.acks = new Map() // ack id -> {resolve, timer}
    this.binaryHeader = null // a binary event's header, waiting for its attachment
  }

  connect () {
    const synced = this.whenSynced()
    const url = new URL('/socket.io/', this.target.url)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    url.search = 'EIO=4&transport=websocket'
    this.ws = new WebSocket(url, { perMessageDeflate: Boolean(this.target.deflate) })
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) this.onAttachment(asBytes(data))
      else this.onText(data.toString())
    })
    this.ws.on('error', (err) => this.fail(err))
    this.ws.on('close', (code, reason) => {
      if (!this.closed) this.fail(new Error(`closed: ${code} ${reason}`))
    })
    return synced
  }

  onText (text) {
    switch (text[0]) {
      case EIO_OPEN: {
        const auth = { board: this.target.board, token: this.target.token, participant: this.who }
        this.ws.send(EIO_MESSAGE + SIO_CONNECT + JSON.stringify(auth))
        return
      }
      case EIO_PING:
        this.ws.send(EIO_PONG)
        return
      case EIO_CLOSE:
        this.fail(new Error('closed by the server'))
        return
      case EIO_MESSAGE:
        this.onPacket(text)
    }
  }

  /** `text` = "4" + a Socket.IO packet: type, [attachments "-"], [ack id], [JSON data]. */
  onPacket (text) {
    const type = text[1]
    let at = 2
    if (type === SIO_BINARY_EVENT) at = text.indexOf('-', at) + 1
    let id = ''
    while (at < text.length && text[at] >= '0' && text[at] <= '9') id += text[at++]
    const data = at < text.length ? JSON.parse(text.slice(at)) : null
    if (type === SIO_EVENT) {
      if (data[0] === 'welcome') this.welcomed(data[1])
      // board_error and the rest: not simulated (a refusal shows as a failed ack).
    } else if (type === SIO_BINARY_EVENT) {
      this.binaryHeader = data
    } else if (type === SIO_ACK) {
      const waiter = this.acks.get(Number(id))
      if (waiter === undefined) return
      this.acks.delete(Number(id))
      clearTimeout(waiter.timer)
      waiter.resolve(data[0])
    } else if (type === SIO_CONNECT_ERROR) {
      this.fail(new Error(`connect_error: ${data && data.message}`))
    }
    // SIO_CONNECT: nothing to do; the server's welcome follows it.
  }

  /** The binary frame of the last binary event: ["y", name, {_placeholder}] becomes (name, bytes). */
  onAttachment (bytes) {
    const header = this.binaryHeader
    this.binaryHeader = null
    if (header !== null && header[0] === 'y') this.receive(header[1], bytes)
  }

  /** A `y` event with an acknowledgement: its JSON header, then the frame as the attachment. */
  send (name, frame) {
    const id = this.nextAckId++
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id)
        reject(new Error('operation has timed out'))
      }, TIMEOUT_MS)
      this.acks.set(id, { resolve, timer })
      this.ws.send(`${EIO_MESSAGE}${SIO_BINARY_EVENT}1-${id}["y","${name}",{"_placeholder":true,"num":0}]`)
      this.ws.send(frame)
    })
  }

  close () {
    this.closed = true
    for (const waiter of this.acks.values()) clearTimeout(waiter.timer)
    this.acks.clear()
    if (this.ws) this.ws.close()
    this.destroy()
  }
}

/**
 * A participant of Hocuspocus: both documents over one WebSocket (its multiplexing), each named
 * `<board>/<doc>`. Hocuspocus answers every update with a SyncStatus once it has applied it in
 * memory; it stores documents later (debounced), so that "ack" is not a durable one.
 */
export class HocuspocusClient extends BoardClient {
  constructor (target, who, hooks) {
    super(hooks, target.applyEveryMs)
    this.target = target
    this.addresses = Object.fromEntries(DOC_NAMES.map((name) => [name, `${target.board}/${name}`]))
    this.names = Object.fromEntries(DOC_NAMES.map((name) => [this.addresses[name], name]))
    // One FIFO of pending acknowledgements per document: SyncStatus carries no id, and the
    // server handles one connection's messages for one document in order.
    this.acks = Object.fromEntries(DOC_NAMES.map((name) => [name, []]))
    this.ws = null
  }

  connect () {
    const synced = this.whenSynced()
    this.ws = new WebSocket(this.target.url, { perMessageDeflate: Boolean(this.target.deflate) })
    this.ws.on('open', () => this.handshake())
    this.ws.on('message', (data) => this.receive(asBytes(data)))
    this.ws.on('error', (err) => this.fail(err))
    this.ws.on('close', (code, reason) => {
      if (!this.closed) this.fail(new Error(`closed: ${code} ${reason}`))
    })
    return synced
  }

  frame (name, type, write) {
    const encoder = encoding.createEncoder()
    encoding.writeVarString(encoder, this.addresses[name])
    encoding.writeVarUint(encoder, type)
    write(encoder)
    return encoding.toUint8Array(encoder)
  }

  handshake () {
    for (const name of DOC_NAMES) {
      // Authentication first (the server queues everything else until it is done), then step 1.
      this.ws.send(this.frame(name, HP_AUTH, (e) => {
        encoding.writeVarUint(e, HP_AUTH_TOKEN)
        encoding.writeVarString(e, this.target.token || '')
      }))
      const state = Y.encodeStateVector(this.docs[name])
      this.ws.send(this.frame(name, MESSAGE_SYNC, (e) => {
        encoding.writeVarUint(e, SYNC_STEP1)
        encoding.writeVarUint8Array(e, state)
      }))
    }
  }

  receive (data) {
    const decoder = decoding.createDecoder(data)
    const name = this.names[decoding.readVarString(decoder)]
    const type = decoding.readVarUint(decoder)
    if (name === undefined) return
    if (type === MESSAGE_SYNC || type === HP_SYNC_REPLY) {
      const subType = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      if (subType === SYNC_STEP1) {
        const update = Y.encodeStateAsUpdate(this.docs[name], payload)
        this.sendAcked(name, this.frame(name, MESSAGE_SYNC, (e) => {
          encoding.writeVarUint(e, SYNC_STEP2)
          encoding.writeVarUint8Array(e, update)
        })).catch((error) => { if (!this.closed) this.fail(error) })
        return
      }
      this.applyRemote(name, subType, payload)
    } else if (type === HP_SYNC_STATUS) {
      const saved = decoding.readVarUint(decoder) === 1
      const waiter = this.acks[name].shift()
      if (waiter) waiter(saved)
    } else if (type === HP_AUTH) {
      if (decoding.readVarUint(decoder) === HP_AUTH_DENIED) {
        this.fail(new Error(`permission denied: ${decoding.readVarString(decoder)}`))
      }
    }
    // Awareness and anything else: not simulated.
  }

  sendAcked (name, frame) {
    return new Promise((resolve, reject) => {
      this.acks[name].push((saved) => (saved ? resolve(true) : reject(new Error('not saved'))))
      this.ws.send(frame)
    })
  }

  write (name, update) {
    return this.sendAcked(name, this.frame(name, MESSAGE_SYNC, (e) => {
      encoding.writeVarUint(e, SYNC_UPDATE)
      encoding.writeVarUint8Array(e, update)
    }))
  }

  close () {
    this.closed = true
    if (this.ws) this.ws.close()
    this.destroy()
  }
}

/** target: {kind, client}; Ardoise's participants speak Socket.IO themselves unless `client` says
 * 'socket.io-client' (the library the browser client uses). */
export function clientClass (target) {
  if (target.kind === 'ardoise') {
    return target.client === 'socket.io-client' ? SocketIoArdoiseClient : LeanArdoiseClient
  }
  if (target.kind === 'hocuspocus') return HocuspocusClient
  throw new Error(`unknown server kind ${target.kind}`)
}
