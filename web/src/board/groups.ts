/** Groups of notes (themes) in the notes document (docs/board-schema.md, root `groups`): reading them, making, renaming, folding and undoing them. */
// A group has no position: it is drawn around its notes (`groupId` on each note). Its writes are
// no undo steps (GROUPING, not LOCAL): Ctrl+Z would take the notes out of a group and leave the
// group behind, empty; "Dégrouper" is how a group is undone.
import * as Y from 'yjs'
import { newId } from './model'

/** Origin of this person's group writes: sent like any local change, not tracked by undo. */
export const GROUPING = Symbol('grouping')

export interface GroupData {
  id: string
  title: string
  createdBy: string
  createdAt: number
  folded: boolean
}

/** The server refuses longer titles (docs/protocol.md section 4, "Judging notes"). */
export const MAX_GROUP_TITLE = 200

const str = (value: unknown): string => (typeof value === 'string' ? value : '')

export class GroupsModel {
  readonly groups: Y.Map<Y.Map<unknown>>
  private readonly notes: Y.Map<Y.Map<unknown>>

  /** `doc`: the shared notes document (never a private one: groups are made on the board). */
  constructor(readonly doc: Y.Doc) {
    this.groups = doc.getMap('groups') as Y.Map<Y.Map<unknown>>
    this.notes = doc.getMap('notes') as Y.Map<Y.Map<unknown>>
  }

  get(id: string): GroupData | null {
    const group = this.groups.get(id)
    if (!(group instanceof Y.Map)) return null
    const createdAt = group.get('createdAt')
    return {
      id,
      title: str(group.get('title')),
      createdBy: str(group.get('createdBy')),
      createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : 0,
      folded: group.get('folded') === true,
    }
  }

  all(): GroupData[] {
    const out: GroupData[] = []
    for (const id of this.groups.keys()) {
      const group = this.get(id)
      if (group) out.push(group)
    }
    return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
  }

  /** The group a note is in, or '' (a `groupId` naming no group counts as none). */
  groupOf(noteId: string): string {
    const value = this.notes.get(noteId)?.get('groupId')
    return typeof value === 'string' && this.groups.has(value) ? value : ''
  }

  /** The ids of a group's notes on the shared board. */
  members(groupId: string): string[] {
    const ids: string[] = []
    for (const [id, note] of this.notes.entries()) if (note instanceof Y.Map && note.get('groupId') === groupId) ids.push(id)
    return ids
  }

  /** A new group holding these notes, in one update (the server judges both at once). */
  create(title: string, noteIds: Iterable<string>, createdBy: string, createdAt: number): string {
    let id = newId()
    while (this.notes.has(id) || this.groups.has(id)) id = newId()
    this.doc.transact(() => {
      const group = new Y.Map<unknown>()
      this.groups.set(id, group)
      group.set('title', title.slice(0, MAX_GROUP_TITLE))
      group.set('createdBy', createdBy)
      group.set('createdAt', createdAt)
      group.set('folded', false)
      for (const noteId of noteIds) this.notes.get(noteId)?.set('groupId', id)
    }, GROUPING)
    return id
  }

  rename(id: string, title: string): void {
    const group = this.groups.get(id)
    if (group instanceof Y.Map && group.get('title') !== title) this.doc.transact(() => group.set('title', title.slice(0, MAX_GROUP_TITLE)), GROUPING)
  }

  setFolded(id: string, folded: boolean): void {
    const group = this.groups.get(id)
    if (group instanceof Y.Map) this.doc.transact(() => group.set('folded', folded), GROUPING)
  }

  /**
   * Puts these notes in the group (out of any other), in one update. `origin` LOCAL when it goes
   * with a move of the notes (a drop), so that the move's undo step takes both back.
   */
  join(id: string, noteIds: Iterable<string>, origin: symbol = GROUPING): void {
    if (!this.groups.has(id)) return
    this.doc.transact(() => {
      for (const noteId of noteIds) {
        const note = this.notes.get(noteId)
        if (note && note.get('groupId') !== id) note.set('groupId', id)
      }
    }, origin)
  }

  /** Takes these notes out of their groups (the groups stay, even empty: docs/board-schema.md); `origin` as for `join`. */
  leave(noteIds: Iterable<string>, origin: symbol = GROUPING): void {
    this.doc.transact(() => {
      for (const noteId of noteIds) this.notes.get(noteId)?.delete('groupId')
    }, origin)
  }

  /** Undoes the group: its entry, and the `groupId` of those of its notes in `mayChange`. */
  ungroup(id: string, mayChange: (noteId: string) => boolean): void {
    this.doc.transact(() => {
      this.groups.delete(id)
      for (const noteId of this.members(id)) if (mayChange(noteId)) this.notes.get(noteId)?.delete('groupId')
    }, GROUPING)
  }

  /** Calls back after any change to the groups or to the notes (membership, places). */
  observe(listener: () => void): () => void {
    const handler = (): void => listener()
    this.groups.observeDeep(handler)
    this.notes.observeDeep(handler)
    return () => {
      this.groups.unobserveDeep(handler)
      this.notes.unobserveDeep(handler)
    }
  }
}
