/** The state of one open board (connection, documents, role, facilitation, note colour), announced to the views that subscribe. */
import type * as Y from 'yjs'
import { t } from '../i18n'
import { refusalKey } from '../i18n/error-words'
import { Emitter } from '../lib/emitter'
import { peerColor } from '../lib/peer-marks'
import * as storage from '../lib/storage'
import { MergedNotes } from '../board/merged-notes'
import { GroupsModel } from '../board/groups'
import { TalkModel } from '../board/reactions'
import { type BoardMeta, type NoteData, NotesModel, type PaletteName, type Zone, isPaletteName, readMeta, readZones } from '../board/model'
import { Undo } from '../board/undo'
import { type Facilitation, readFacilitation, readTimer, readVoting } from '../facilitation/state'
import { ServerClock } from '../facilitation/timer'
import { type VoteAck, VoteState, asVoteAck, asVotesPayload } from '../facilitation/votes'
import { Connection, type ConnectionStatus } from '../sync/connection'
import { DocSync, type SaveState } from '../sync/doc-sync'
import { Presence } from '../sync/presence'
import type { Lane } from '../board/placement'
import { PrivateDoc } from '../sync/private-doc'
import { DEFAULT_LIMITS, DocName, type Limits, Role, type RoleValue, type WireError } from '../sync/protocol'
import { NoteCommands } from './note-commands'
import { type NoteRights, mayChangeGroup, mayChangeNote, mayRemoveTalk, mayWriteNotes } from './note-rights'
import { Pictures } from './pictures'
import { Recovery } from './recovery'
import { ShareLinksSource } from './share-links'

export interface LayoutChange {
  zonesChanged: boolean
  /** The board's settings before this read, to tell what changed. */
  before: { meta: BoardMeta; facilitation: Facilitation }
}

export interface Notice {
  text: string
  kind?: 'error'
  /** What the notice is about, when it can stop holding (`noticeWithdrawn`). */
  topic?: NoticeTopic
}

/** Notices that can stop holding: a deletion's "Ctrl+Z to undo", once undone. */
export type NoticeTopic = 'undoable'

/** This person as the presence list shows them; null for an observer or before a name is given. */
export interface Me {
  name: string
  color: string
  participantId: string
}

export interface SessionEvents {
  /** The connection's status or a document's save state changed. */
  status: void
  /** A `welcome`: role, limits and server time are set (`first`: the first of this page). */
  welcome: { first: boolean }
  /** The connection failed for good, or the board refused it. */
  failure: Extract<ConnectionStatus, { kind: 'error' }>
  /** The layout document was read again: meta, zones and facilitation settings are current. */
  layout: LayoutChange
  /** Who may write may have changed (a welcome, a lock): views refresh their permissions. */
  access: void
  /** Which notes this person may change changed (role, id, lock, `meta.editOthersNotes`). */
  rights: void
  /** The notes model was replaced (at the start, after a resync, when the private document comes). */
  model: NotesModel
  /** These notes changed. */
  notes: Set<string>
  /** Others' presence, or this person's identity, changed. */
  presence: void
  /** A `votes` event changed what these notes show. */
  votes: Set<string>
  /** The number of private notes on the board changed (facilitators, during private writing). */
  privateCount: void
  color: PaletteName
  /** What undo and redo can do changed. */
  history: void
  /** Both shared documents are synced (after the start or a resync). */
  ready: void
  /** A participant without a display name joined: ask for one. */
  nameWanted: void
  notice: Notice
  /** What the notice of this topic said no longer holds. */
  noticeWithdrawn: NoticeTopic
}

export class BoardSession extends Emitter<SessionEvents> {
  /** The id the server gave this person on this board: the last `welcome`'s (until then, the one remembered). */
  participantId: string
  readonly connection: Connection
  readonly presence: Presence
  readonly undo = new Undo()
  readonly clock = new ServerClock()
  readonly votes = new VoteState()
  /** How many private notes the board holds, as the server counts them for facilitators; null until told. */
  privateCount: number | null = null
  readonly share: ShareLinksSource
  readonly commands = new NoteCommands(this)
  /** The trash and the history, called as this person. */
  readonly recovery = new Recovery(this)
  /** The pictures of image notes, fetched with this person's token. */
  readonly pictures: Pictures
  name = storage.displayName()
  role: RoleValue | null = null
  limits: Limits = DEFAULT_LIMITS
  meta: BoardMeta = { title: '', question: '', round: null, broadcast: null, locked: false, anonymous: false, editOthersNotes: false, legend: {} }
  zones: Zone[] = []
  facilitation: Facilitation = { template: '', voting: readVoting(null), timer: readTimer(null), privateWriting: false, follow: null }
  color: PaletteName = isPaletteName(storage.noteColor()) ? (storage.noteColor() as PaletteName) : 'yellow'
  model: NotesModel
  private readonly layoutSync: DocSync
  private readonly notesSync: DocSync
  private readonly privateDoc: PrivateDoc
  private offLayout: (() => void) | null = null
  private offModel: (() => void) | null = null
  private votesInFlight: Promise<unknown> = Promise.resolve()
  private groupsModel: GroupsModel | null = null
  private talkModel: TalkModel | null = null
  private rightsKey = ''

  constructor(readonly boardId: string, readonly token: string) {
    super()
    this.participantId = storage.boardIdentity(boardId)?.participantId ?? ''
    this.votes.showSecretTallies = storage.showsSecretTallies(boardId)
    this.connection = new Connection(location.origin, { board: boardId, token, participant: { name: this.name } })
    this.share = new ShareLinksSource(boardId, token)
    this.pictures = new Pictures(boardId, token)
    // A notes write refused `forbidden` touched a note that is not this person's to change (the
    // facilitator's setting changed meanwhile): said as such, not as a link that cannot write.
    const refused = (notes: boolean) => (error: WireError): void =>
      this.notify(`${t(refusalKey(error.code, notes ? 'notes' : 'layout'))} ${t('refusal.resynced')}`, 'error')
    this.layoutSync = new DocSync(this.connection, DocName.LAYOUT, {
      onRefused: refused(false),
      onReplaced: (doc) => this.bindLayout(doc),
      onSynced: () => this.checkReady(),
      onSaveState: () => this.emit('status'),
    })
    this.notesSync = new DocSync(this.connection, DocName.NOTES, {
      onRefused: refused(true),
      onReplaced: (doc) => {
        this.bindNotes()
        this.presence.rebind(doc)
      },
      onSynced: () => this.checkReady(),
      onSaveState: () => this.emit('status'),
      onAwareness: (update) => this.presence.apply(update),
    })
    this.presence = new Presence(this.connection, this.notesSync.doc)
    this.privateDoc = new PrivateDoc(this.connection, {
      onRefused: refused(true),
      onReplaced: () => this.bindNotes(),
      onSynced: () => this.bindNotes(),
      onSaveState: () => this.emit('status'),
    })
    this.model = new NotesModel(this.notesSync.doc)
    this.connection.onVotes((raw) => {
      const payload = asVotesPayload(raw)
      if (payload) this.emit('votes', this.votes.apply(payload))
    })
    this.connection.onPrivateCount((raw) => {
      const notes = (raw as { notes?: unknown } | null)?.notes
      if (typeof notes !== 'number' || !Number.isInteger(notes) || notes < 0) return
      this.privateCount = notes
      this.emit('privateCount')
    })
    this.undo.onChange(() => this.emit('history'))
    this.presence.onChange(() => this.emit('presence'))
    // After the documents' and presence's own status listeners: a welcome reaches them first.
    this.connection.onStatus((status) => this.onStatus(status))
  }

  /** Reads the documents and connects; the views subscribe before. */
  start(): void {
    addEventListener('pagehide', () => this.presence.leave())
    this.bindLayout(this.layoutSync.doc)
    this.bindNotes()
    this.emit('status')
    this.announceAccess()
    this.connection.connect()
  }

  /** The groups (themes) of the shared notes document, which a resync replaces (listen to `model`). */
  get groups(): GroupsModel {
    if (this.groupsModel?.doc !== this.notesSync.doc) this.groupsModel = new GroupsModel(this.notesSync.doc)
    return this.groupsModel
  }

  /** Reactions and comments on the shared notes (docs/board-schema.md), which a resync replaces (listen to `model`). */
  get talk(): TalkModel {
    if (this.talkModel?.doc !== this.notesSync.doc) this.talkModel = new TalkModel(this.notesSync.doc)
    return this.talkModel
  }

  /** Whether this person may take back a reaction or delete a comment written by `authorId`: their own, or anyone's for a facilitator. */
  mayRemoveTalk(authorId: string): boolean {
    return mayRemoveTalk(this.rights, authorId)
  }

  /** The layout document (meta, zones, timer), which facilitators write. */
  get layout(): Y.Doc {
    return this.layoutSync.doc
  }

  get isLayoutSynced(): boolean {
    return this.layoutSync.isSynced
  }

  get saveState(): SaveState {
    const states = [this.layoutSync.saveState, this.notesSync.saveState]
    const own = this.privateDoc.current?.saveState
    if (own) states.push(own)
    for (const state of ['paused', 'unsent', 'saving'] as const) if (states.includes(state)) return state
    return 'saved'
  }

  canWrite(): boolean {
    return mayWriteNotes(this.rights)
  }

  /** What decides which notes this person may change (session/note-rights.ts). */
  get rights(): NoteRights {
    return { role: this.role, participantId: this.participantId, locked: this.meta.locked, editOthersNotes: this.meta.editOthersNotes }
  }

  /** The one rule for changing a note, as the server judges it: facilitators all, participants their own unless the board lets them change all, observers none. */
  mayChangeGroup(group: { createdBy: string }): boolean {
    return mayChangeGroup(this.rights, group)
  }

  mayChangeNote(note: Pick<NoteData, 'authorId' | 'private'>): boolean {
    return mayChangeNote(this.rights, note)
  }

  /** New notes go to the private document: a participant, during the phase, once it is synced. */
  writesPrivately(): boolean {
    return this.role === Role.PARTICIPANT && this.facilitation.privateWriting && (this.privateDoc.current?.isSynced ?? false)
  }

  /** This person's place among the people who may write now, seen in presence: keeps two people's new notes apart (board/placement.ts). */
  placementLane(): Lane {
    const writers = new Set([this.participantId])
    for (const peer of this.presence.others().values()) if (peer.role !== Role.OBSERVER) writers.add(peer.participantId)
    const sorted = [...writers].sort()
    return { index: sorted.indexOf(this.participantId), count: sorted.length }
  }

  me(): Me | null {
    return this.role !== Role.OBSERVER && this.name ? { name: this.name, color: peerColor(this.participantId), participantId: this.participantId } : null
  }

  notify(text: string, kind?: 'error', topic?: NoticeTopic): void {
    this.emit('notice', { text, ...(kind ? { kind } : {}), ...(topic ? { topic } : {}) })
  }

  withdrawNotice(topic: NoticeTopic): void {
    this.emit('noticeWithdrawn', topic)
  }

  setColor(color: PaletteName): void {
    this.color = color
    storage.setNoteColor(color)
    this.emit('color', color)
  }

  /** The name is remembered here, presented at the next connection and shown to the others now. */
  rename(name: string): void {
    this.name = name
    storage.setDisplayName(name)
    this.connection.setParticipantName(name)
    this.announce()
  }

  /** A facilitator shows or hides a secret vote's counts on this screen (remembered for this board in this browser). */
  showSecretTallies(shown: boolean): void {
    this.votes.showSecretTallies = shown
    storage.setShowsSecretTallies(this.boardId, shown)
    this.emit('votes', new Set(this.model.ids()))
  }

  /** Casts or removes a vote; null while another vote waits for its answer. */
  /**
   * Votes leave one at a time, in the order they were cast: a second tap while the first is on
   * its way is sent after it, never dropped (the tallies' broadcast can reach the screen before
   * the first vote's answer, and the person taps again on what they see).
   */
  castVote(noteId: string, delta: 1 | -1): Promise<VoteAck | null> {
    const cast = this.votesInFlight.then(async () => {
      const ack = asVoteAck(await this.connection.vote(noteId, delta))
      if (ack.ok) this.votes.remaining = ack.remaining
      return ack
    })
    this.votesInFlight = cast.catch(() => undefined)
    return cast
  }

  private announce(): void {
    if (this.role === null || this.role === Role.OBSERVER || !this.name) {
      this.presence.setIdentity(null)
    } else {
      this.presence.setIdentity({ participantId: this.participantId, name: this.name, color: peerColor(this.participantId), role: this.role })
    }
    this.emit('presence')
  }

  private onStatus(status: ConnectionStatus): void {
    if (status.kind === 'online') {
      const { welcome } = status
      const first = this.role === null
      this.participantId = welcome.participantId
      this.role = welcome.role
      this.limits = { ...DEFAULT_LIMITS, ...welcome.limits }
      this.clock.sync(welcome.serverTime)
      if (welcome.role === Role.PARTICIPANT) this.privateDoc.open()
      if (welcome.role === Role.FACILITATOR) this.share.loadIfNotMine()
      this.emit('welcome', { first })
      this.announceAccess()
      if (first && this.role !== Role.OBSERVER && !this.name) this.emit('nameWanted')
      else this.announce()
    }
    if (status.kind === 'error') this.emit('failure', status)
    this.emit('status')
    this.emit('presence')
  }

  private bindLayout(doc: Y.Doc): void {
    this.offLayout?.()
    const handler = (): void => this.readLayout(doc)
    doc.on('update', handler)
    this.offLayout = () => doc.off('update', handler)
    this.readLayout(doc)
  }

  private readLayout(doc: Y.Doc): void {
    const before = { meta: this.meta, facilitation: this.facilitation }
    this.meta = readMeta(doc)
    const zones = readZones(doc)
    const zonesChanged = JSON.stringify(zones) !== JSON.stringify(this.zones)
    if (zonesChanged) this.zones = zones
    this.facilitation = readFacilitation(doc)
    this.votes.setVoting(this.facilitation.voting)
    if (this.role === Role.FACILITATOR && this.meta.title) storage.renameMyBoard(this.boardId, this.meta.title)
    this.emit('layout', { zonesChanged, before })
    this.announceAccess()
  }

  /** Tells the views that permissions may have changed, and which notes one may change when that did. */
  private announceAccess(): void {
    this.emit('access')
    const { role, participantId, locked, editOthersNotes } = this.rights
    const key = JSON.stringify([role, participantId, locked, editOthersNotes])
    if (key === this.rightsKey) return
    this.rightsKey = key
    this.emit('rights')
  }

  /** The notes model: with this person's private notes when they have a private document. */
  private bindNotes(): void {
    this.offModel?.()
    const own = this.privateDoc.current
    this.model = own
      ? new MergedNotes(this.notesSync.doc, new NotesModel(own.doc), () => this.writesPrivately())
      : new NotesModel(this.notesSync.doc)
    this.emit('model', this.model)
    this.undo.bind(this.model)
    this.offModel = this.model.observe((ids) => this.emit('notes', ids))
  }

  private checkReady(): void {
    if (this.layoutSync.isSynced && this.notesSync.isSynced) this.emit('ready')
  }
}
