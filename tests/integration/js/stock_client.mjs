// Ardoise stock client: a board client made only of the stock Yjs packages, following
// docs/protocol.md (sections 3 and 4) and docs/board-schema.md to the letter.
//
//   yjs                    the CRDT documents
//   y-protocols/sync       sync step 1 / sync step 2 / update messages
//   y-protocols/awareness  presence
//   lib0                   the var-uint framing around those messages
//   socket.io-client 4.x   the transport
//
// It doubles as an example for authors of third-party clients and bots: `BoardClient` below is the
// whole protocol; the rest of the file only lets a test drive it.
//
// Usage:
//   node stock_client.mjs '<spec as JSON>'
//
//   spec = {
//     url: "http://127.0.0.1:8000",
//     auth: {board, token, participant: {name, credential?}},
//     resyncOnRefusal: true,        // optional; see BoardClient.write
//     steps: [{do: "connect"}, {do: "addNote", id: "n1", text: "Bonjour"}, ...]
//   }
//
// Each step prints one JSON line on stdout, `{"step": "<do>", ...result}`; a last line
// `{"step": "done", "events": [...]}` lists the other events received. A step that fails prints
// `{"step": "<do>", "error": "..."}` and the program exits with status 1. Steps:
//
//   connect                         connect, wait for `welcome` and the handshake of both documents
//   disconnect {goodbye=true}       leave (goodbye: first tell the others our presence is gone)
//   addNote {id, text, x, y, color} create a note (acknowledged; offline: merged on reconnection)
//   appendText {id, text}           type at the end of a note's text
//   moveNote {id, x, y}             overwrite a note's `rect`
//   deleteNote {id}                 delete a note
//   clearNotes                      delete every note, in one update
//   setTitle {title}                change `meta.title` in the layout document
//   group {id, title, notes, createdBy} make a group (root `groups`) holding these notes, in our
//                                   name unless `createdBy` says otherwise
//   renameGroup {id, title}         overwrite a group's `title`
//   ungroup {id}                    delete a group and the `groupId` of its notes
//   groups                          print the groups
//   react {noteId, emoji, on=true, participantId} add (or remove) a reaction (root `reactions`),
//                                   in our name unless `participantId` says otherwise
//   comment {id, noteId, text, authorId} comment on a note (root `comments`), in our name unless
//                                   `authorId` says otherwise
//   editComment {id, text}          overwrite a comment's `text`
//   deleteComment {id}              delete a comment
//   talk                            print the reactions and comments
//   presence {state}                set our presence (awareness) state, e.g. {name: "Camille"}
//   resync {doc}                    drop a document and sync a new copy (done after a refusal)
//   notes                           print the notes
//   noteCount                       print how many notes there are (a big board's in one line)
//   waitNote {text, timeout}        wait until a note has this text
//   waitPresence {name, timeout}    wait until someone else's presence has this name
//   waitNoPresence {name, timeout}  wait until no one else's presence has this name
//   syncPrivate                     open the private document (section 7.2), print its notes
//   vote {noteId, delta}            cast (+1) or remove (-1) a vote (section 5), print the ack
//   votes                           print the last `votes` event received (or null)
//   wait                            wait for a line on stdin (lets a test act in between)

import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'

// Where the packages come from. This file lives under tests/, while the packages are installed in
// web/node_modules (web/package.json); ES module imports would only look in node_modules folders
// above this file. So they are resolved from web/package.json with createRequire, which loads
// each package's CommonJS build: one copy of each, shared by y-protocols and this file (Yjs must be
// loaded once). A client of your own would simply write `import * as Y from 'yjs'` and so on.
const require = createRequire(new URL('../../../web/package.json', import.meta.url))
const Y = require('yjs')
const syncProtocol = require('y-protocols/sync')
const awarenessProtocol = require('y-protocols/awareness')
const encoding = require('lib0/encoding')
const decoding = require('lib0/decoding')
const { io } = require('socket.io-client')

// ---- the protocol ------------------------------------------------------------------------------

/** The two shared documents of a board (docs/protocol.md section 1). */
const DOC_NAMES = ['layout', 'notes']
/** First var-uint of a frame: the y-websocket message types. */
const MESSAGE_SYNC = 0
const MESSAGE_AWARENESS = 1
/** Transaction origin of changes that came from the server: those are never sent back. */
const REMOTE = 'remote'
/** How long to wait for an acknowledgement or for the server's part of the handshake. */
const TIMEOUT_MS = 10_000

class BoardClient {
  /**
   * @param {string} url the server's base URL
   * @param {{board: string, token: string, participant?: {name: string, credential?: string}}} auth
   * @param {{resyncOnRefusal?: boolean}} options
   */
  constructor (url, auth, { resyncOnRefusal = true } = {}) {
    this.auth = auth
    this.resyncOnRefusal = resyncOnRefusal
    /** @type {Record<string, Y.Doc>} */
    this.docs = {}
    for (const name of DOC_NAMES) this.docs[name] = this.newDoc(name)
    /** Our presence as the application wants it (null: none); sent on every (re)connection. */
    this.presenceState = null
    this.awareness = this.newAwareness(this.docs.notes)
    this.welcome = null
    this.participantId = null
    this.clockOffset = 0 // server time minus local time, from welcome.serverTime
    this.events = [] // other events received (board_error, votes, ...), for the curious
    this.lastWrite = null // the acknowledgement of the last update sent
    this.stepTwoAcks = [] // {doc, bytes, ack} of our answers to the server's sync step 1
    this.whenSynced = null // resolves connect() once the handshake is done
    this.synced = new Map() // document name -> resolve() of the handshake waiting for its step 2

    // Section 3: the WebSocket transport, and who we are in `auth`.
    // `participant.credential`, once the server has issued one, makes every reconnection the same
    // participant (the id itself is the server's: welcome.participantId).
    this.socket = io(url, { transports: ['websocket'], auth, autoConnect: false })
    this.socket.on('welcome', (welcome) => this.onWelcome(welcome))
    this.socket.on('y', (name, frame) => this.receive(name, new Uint8Array(frame)))
    this.socket.on('disconnect', () => this.onDisconnect())
    this.socket.onAny((event, ...args) => {
      if (event !== 'welcome' && event !== 'y') this.events.push({ event, args })
    })
  }

  get online () {
    return this.socket.connected && this.welcome !== null
  }

  /** A document whose local changes are sent, as they happen, as acknowledged updates. */
  newDoc (name) {
    const doc = new Y.Doc()
    doc.on('update', (update, origin) => {
      // Offline changes are not queued: the next handshake's sync step 2 carries them.
      if (origin === REMOTE || !this.online) return
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      syncProtocol.writeUpdate(encoder, update) // 0, 2, varBytes(update)
      this.lastWrite = this.write(name, encoding.toUint8Array(encoder))
    })
    return doc
  }

  /** Presence lives on the notes document only; only our own state is ever sent. */
  newAwareness (doc) {
    const awareness = new awarenessProtocol.Awareness(doc)
    awareness.setLocalState(this.presenceState) // no presence until the application sets one
    awareness.on('update', ({ added, updated, removed }, origin) => {
      const mine = [...added, ...updated, ...removed].includes(awareness.clientID)
      // Others' states also change here (time-outs, remote updates): those are not ours to send.
      if (origin === REMOTE || !mine || !this.online) return
      this.lastPresence = this.send('notes', awarenessFrame(awareness, [awareness.clientID]))
    })
    return awareness
  }

  /** Connect; resolves once welcomed and both documents are synced, or with the refusal. */
  connect () {
    return new Promise((resolve) => {
      // A refused connection: err.message is the code, err.data is {code, message} (section 3).
      const onError = (err) => {
        this.whenSynced = null
        resolve({ connectError: { message: err.message, data: err.data ?? null } })
      }
      this.socket.once('connect_error', onError)
      this.whenSynced = (result) => {
        this.socket.off('connect_error', onError)
        resolve(result)
      }
      this.socket.connect()
    })
  }

  /** Section 4, "Handshake, per document, right after welcome" (again after each reconnection). */
  async onWelcome (welcome) {
    this.welcome = welcome
    // Who we are, kept while offline: notes written then carry it (docs/board-schema.md).
    this.participantId = welcome.participantId
    if (welcome.credential) {
      // A new identity: keep its credential, presented from the next (re)connection on.
      this.auth.participant = { ...(this.auth.participant ?? {}), credential: welcome.credential }
      this.socket.auth = this.auth
    }
    this.clockOffset = welcome.serverTime - Date.now()
    let result
    try {
      // Step 1, the server's sync step 1, is answered in `receive`; step 2 is ours, per document:
      const handshake = {}
      await Promise.all(DOC_NAMES.map(async (name) => {
        handshake[name] = await this.handshake(name)
      }))
      // Our answers to the server's sync step 1 carry what it lacked (edits made offline): their
      // acknowledgements say those are stored. (The server sent its step 1 right after welcome,
      // before its answer to ours, so they have all been sent by now.)
      const stepTwo = await Promise.all(this.stepTwoAcks.splice(0))
      // Step 3, the others' presence, arrives by itself. Announce ours (again, after a
      // reconnection: the server removed it when we left). Setting the state bumps its clock, so
      // the others' y-protocols take it as newer than our goodbye. (After a leave without goodbye
      // the server's removal currently carries our clock + 1, which this announcement only
      // equals: see test_others_see_a_reconnecting_js_client_again.)
      if (this.presenceState !== null) this.awareness.setLocalState(this.presenceState)
      result = { welcome, handshake, stepTwo }
    } catch (err) {
      result = { welcome, error: String(err?.message ?? err) }
    }
    this.whenSynced?.(result)
    this.whenSynced = null
  }

  /** Send our sync step 1 and wait for the server's sync step 2 (what we lack). */
  async handshake (name) {
    let timer
    const synced = new Promise((resolve, reject) => {
      this.synced.set(name, resolve)
      timer = setTimeout(() => reject(new Error(`no sync step 2 for ${name}`)), TIMEOUT_MS)
    })
    synced.catch(() => {}) // awaited below; this keeps Node from calling it unhandled meanwhile
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    syncProtocol.writeSyncStep1(encoder, this.docs[name]) // 0, 0, varBytes(state vector)
    try {
      const ack = await this.send(name, encoding.toUint8Array(encoder))
      await synced
      return ack
    } finally {
      clearTimeout(timer)
    }
  }

  /** Every `y` frame from the server: sync messages for the named document, or presence. */
  receive (name, frame) {
    const doc = this.docs[name]
    if (doc === undefined) return
    const decoder = decoding.createDecoder(frame)
    const messageType = decoding.readVarUint(decoder)
    if (messageType === MESSAGE_SYNC) {
      // readSyncMessage applies a step 2 or an update, and answers a step 1 with a step 2.
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      const syncType = syncProtocol.readSyncMessage(decoder, encoder, doc, REMOTE)
      if (syncType === syncProtocol.messageYjsSyncStep1) {
        // The server's sync step 1: our answer is a write like any other (it may carry edits).
        const reply = encoding.toUint8Array(encoder)
        const stored = this.write(name, reply)
        this.stepTwoAcks.push(stored.then((ack) => ({ doc: name, bytes: reply.length, ack })))
      } else if (syncType === syncProtocol.messageYjsSyncStep2) {
        this.synced.get(name)?.()
        this.synced.delete(name)
      }
    } else if (messageType === MESSAGE_AWARENESS && name === 'notes') {
      const update = decoding.readVarUint8Array(decoder)
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE)
    }
  }

  /** Emit a frame with an acknowledgement; a lost one counts as a refusal. */
  async send (name, frame) {
    try {
      return await this.socket.timeout(TIMEOUT_MS).emitWithAck('y', name, frame)
    } catch (err) {
      return { ok: false, error: { code: 'timeout', message: String(err.message ?? err) } }
    }
  }

  /**
   * Send a document write. `{ok: true}` means stored durably. A refusal means our copy now holds a
   * change the board will never have, and every later change of ours would build on it (the server
   * would answer `out_of_sync`): so drop the copy and sync a new one (section 4). A real client
   * also tells the person why. `resyncOnRefusal: false` exists only to show what happens otherwise.
   */
  async write (name, frame) {
    const ack = await this.send(name, frame)
    if (!ack?.ok && this.resyncOnRefusal) {
      ack.resynced = await this.resync(name)
    }
    return ack
  }

  /** Drop our copy of a document: a new Y.Doc (so a new client id), then the handshake again. */
  async resync (name) {
    const old = this.docs[name]
    this.docs[name] = this.newDoc(name)
    if (name === 'notes') {
      // Presence belongs to the notes document's client id: say goodbye with the old one, and
      // announce the same state with the new one.
      const awareness = this.awareness
      if (awareness.getLocalState() !== null) {
        awareness.setLocalState(null)
        await this.lastPresence
      }
      awareness.destroy()
      this.awareness = this.newAwareness(this.docs.notes)
      this.awareness.setLocalState(this.presenceState)
    }
    old.destroy()
    return this.online ? this.handshake(name) : null
  }

  onDisconnect () {
    this.welcome = null
    // The others' presence is no longer kept up to date: forget it, states and clocks both. The
    // server sends the current states on the next handshake (step 3) with the clocks it has seen;
    // removeAwarenessStates() would instead bump our copy of each clock, and y-protocols would then
    // ignore those states as old until each client renews its own (up to 15 s later).
    const awareness = this.awareness
    const others = [...awareness.getStates().keys()].filter((id) => id !== awareness.clientID)
    for (const id of others) {
      awareness.states.delete(id)
      awareness.meta.delete(id)
    }
    if (others.length > 0) {
      const changes = { added: [], updated: [], removed: others }
      awareness.emit('change', [changes, REMOTE])
      awareness.emit('update', [changes, REMOTE])
    }
  }

  /** Leave. With `goodbye`, first send our presence as null, as y-protocols recommends. */
  async disconnect ({ goodbye = true } = {}) {
    if (goodbye && this.online && this.awareness.getLocalState() !== null) {
      this.awareness.setLocalState(null)
      await this.lastPresence
    }
    this.socket.disconnect()
  }

  close () {
    this.socket.disconnect()
    this.awareness.destroy()
    for (const doc of Object.values(this.docs)) doc.destroy()
  }

  // ---- the board, per docs/board-schema.md ------------------------------------------------------

  /** Apply a change to a document; resolves to its acknowledgement (null when offline). */
  edit (name, change) {
    this.lastWrite = null
    this.docs[name].transact(change)
    return this.lastWrite ?? Promise.resolve(null)
  }

  addNote ({ id, text, x = 40, y = 40, color = 'yellow' }) {
    const notes = this.docs.notes.getMap('notes')
    const z = Math.max(0, ...[...notes.values()].map((note) => note.get('z') ?? 0)) + 1
    const participant = this.auth.participant ?? {}
    return this.edit('notes', () => {
      const note = new Y.Map()
      notes.set(id, note)
      note.set('text', new Y.Text(text))
      note.set('rect', [x, y, 160, 100]) // one value: a move is one overwrite
      note.set('color', color)
      note.set('authorId', this.participantId ?? '')
      note.set('author', participant.name ?? '')
      note.set('createdAt', Date.now() + this.clockOffset)
      note.set('z', z)
    })
  }

  group ({ id, title, notes = [], createdBy }) {
    return this.edit('notes', () => {
      const group = new Y.Map()
      this.docs.notes.getMap('groups').set(id, group)
      group.set('title', title)
      group.set('createdBy', createdBy ?? this.participantId ?? '')
      group.set('createdAt', Date.now() + this.clockOffset)
      group.set('folded', false)
      for (const noteId of notes) this.docs.notes.getMap('notes').get(noteId)?.set('groupId', id)
    })
  }

  react ({ noteId, emoji, on = true, participantId }) {
    const key = `${noteId}/${emoji}/${participantId ?? this.participantId ?? ''}`
    const reactions = this.docs.notes.getMap('reactions')
    return this.edit('notes', () => (on ? reactions.set(key, true) : reactions.delete(key)))
  }

  comment ({ id, noteId, text, authorId }) {
    const participant = this.auth.participant ?? {}
    return this.edit('notes', () => {
      const comment = new Y.Map()
      this.docs.notes.getMap('comments').set(id, comment)
      comment.set('noteId', noteId)
      comment.set('authorId', authorId ?? this.participantId ?? '')
      comment.set('author', participant.name ?? '')
      comment.set('text', text)
      comment.set('createdAt', Date.now() + this.clockOffset)
    })
  }

  editComment ({ id, text }) {
    return this.edit('notes', () => this.docs.notes.getMap('comments').get(id)?.set('text', text))
  }

  deleteComment ({ id }) {
    return this.edit('notes', () => this.docs.notes.getMap('comments').delete(id))
  }

  renameGroup ({ id, title }) {
    return this.edit('notes', () => this.docs.notes.getMap('groups').get(id)?.set('title', title))
  }

  ungroup ({ id }) {
    return this.edit('notes', () => {
      this.docs.notes.getMap('groups').delete(id)
      for (const note of this.docs.notes.getMap('notes').values()) {
        if (note.get('groupId') === id) note.delete('groupId')
      }
    })
  }

  appendText ({ id, text }) {
    const note = this.docs.notes.getMap('notes').get(id)
    if (note === undefined) throw new Error(`no note ${id}`)
    return this.edit('notes', () => {
      const ytext = note.get('text')
      ytext.insert(ytext.length, text)
    })
  }

  moveNote ({ id, x, y }) {
    const note = this.docs.notes.getMap('notes').get(id)
    if (note === undefined) throw new Error(`no note ${id}`)
    const [, , w, h] = note.get('rect')
    return this.edit('notes', () => note.set('rect', [x, y, w, h]))
  }

  deleteNote ({ id }) {
    return this.edit('notes', () => this.docs.notes.getMap('notes').delete(id))
  }

  clearNotes () {
    return this.edit('notes', () => this.docs.notes.getMap('notes').clear())
  }

  setTitle ({ title }) {
    return this.edit('layout', () => this.docs.layout.getMap('meta').set('title', title))
  }

  setPresence (state) {
    this.presenceState = state
    this.lastPresence = null
    this.awareness.setLocalState(state)
    return this.lastPresence ?? Promise.resolve(null)
  }

  title () {
    return this.docs.layout.getMap('meta').get('title') ?? null
  }

  /** Opt in to our private document (section 7.2): our step 1, the server's step 2. */
  async syncPrivate () {
    this.docs.private ??= this.newDoc('private')
    const ack = await this.handshake('private')
    return { ack, notes: this.docs.private.getMap('notes').toJSON() }
  }

  vote ({ noteId, delta = 1 }) {
    return this.socket.timeout(TIMEOUT_MS).emitWithAck('vote', { noteId, delta })
  }

  lastVotes () {
    const votes = this.events.filter((e) => e.event === 'votes')
    return votes.length ? votes[votes.length - 1].args[0] : null
  }

  notes () {
    return this.docs.notes.getMap('notes').toJSON()
  }

  noteTexts () {
    return Object.values(this.notes()).map((note) => note.text)
  }

  othersPresence () {
    const others = {}
    for (const [id, state] of this.awareness.getStates()) {
      if (id !== this.awareness.clientID) others[id] = state
    }
    return others
  }
}

/** An awareness frame: 1, varBytes(awareness update). */
function awarenessFrame (awareness, clients) {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(encoder)
}

// ---- the test driver ---------------------------------------------------------------------------

async function until (predicate, timeout = TIMEOUT_MS, what = 'condition') {
  const deadline = Date.now() + timeout
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`not true after ${timeout} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const input = createInterface({ input: process.stdin })
const lines = []
const lineWaiters = []
input.on('line', (line) => (lineWaiters.length ? lineWaiters.shift()(line) : lines.push(line)))
const nextLine = () => lines.length
  ? Promise.resolve(lines.shift())
  : new Promise((resolve) => lineWaiters.push(resolve))

function print (result) {
  process.stdout.write(JSON.stringify(result) + '\n')
}

function presenceNamed (client, name) {
  return Object.values(client.othersPresence()).some((state) => state?.name === name)
}

async function run (client, step) {
  switch (step.do) {
    case 'connect': {
      const result = await client.connect()
      if (result.connectError) return result
      return {
        ...result,
        title: client.title(),
        clientIds: { layout: client.docs.layout.clientID, notes: client.docs.notes.clientID }
      }
    }
    case 'disconnect':
      await client.disconnect({ goodbye: step.goodbye ?? true })
      return {}
    case 'addNote':
      return { ack: await client.addNote(step) }
    case 'appendText':
      return { ack: await client.appendText(step) }
    case 'moveNote':
      return { ack: await client.moveNote(step) }
    case 'deleteNote':
      return { ack: await client.deleteNote(step) }
    case 'clearNotes':
      return { ack: await client.clearNotes() }
    case 'setTitle':
      return { ack: await client.setTitle(step) }
    case 'group':
      return { ack: await client.group(step) }
    case 'renameGroup':
      return { ack: await client.renameGroup(step) }
    case 'ungroup':
      return { ack: await client.ungroup(step) }
    case 'groups':
      return { groups: client.docs.notes.getMap('groups').toJSON() }
    case 'react':
      return { ack: await client.react(step) }
    case 'comment':
      return { ack: await client.comment(step) }
    case 'editComment':
      return { ack: await client.editComment(step) }
    case 'deleteComment':
      return { ack: await client.deleteComment(step) }
    case 'talk':
      return {
        reactions: client.docs.notes.getMap('reactions').toJSON(),
        comments: client.docs.notes.getMap('comments').toJSON(),
      }
    case 'presence':
      return { ack: await client.setPresence(step.state), clientId: client.awareness.clientID }
    case 'resync':
      return { ack: await client.resync(step.doc), clientId: client.docs[step.doc].clientID }
    case 'notes':
      return { notes: client.notes(), title: client.title() }
    case 'noteCount':
      return { count: client.docs.notes.getMap('notes').size }
    case 'waitNote':
      await until(() => client.noteTexts().includes(step.text), step.timeout, `note ${step.text}`)
      return { notes: client.notes() }
    case 'waitPresence':
      await until(() => presenceNamed(client, step.name), step.timeout, `presence of ${step.name}`)
      return { presence: client.othersPresence() }
    case 'waitNoPresence':
      await until(() => !presenceNamed(client, step.name), step.timeout, `${step.name} gone`)
      return { presence: client.othersPresence() }
    case 'syncPrivate':
      return await client.syncPrivate()
    case 'vote':
      return { ack: await client.vote(step) }
    case 'votes':
      return { votes: client.lastVotes() }
    case 'wait':
      return { line: await nextLine() }
    default:
      throw new Error(`unknown step ${JSON.stringify(step.do)}`)
  }
}

async function main () {
  const spec = JSON.parse(process.argv[2] ?? '{}')
  const options = { resyncOnRefusal: spec.resyncOnRefusal ?? true }
  const client = new BoardClient(spec.url, spec.auth, options)
  let status = 0
  for (const step of spec.steps ?? []) {
    try {
      print({ step: step.do, ...(await run(client, step)) })
    } catch (err) {
      print({ step: step.do, error: String(err?.stack ?? err) })
      status = 1
      break
    }
  }
  print({ step: 'done', events: client.events })
  client.close()
  input.close()
  process.exitCode = status
}

await main()
