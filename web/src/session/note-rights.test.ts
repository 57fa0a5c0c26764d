/** Tests of who may change which note (the server's rule, docs/protocol.md section 4) and of which undo steps may be replayed, on real notes documents. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { LOCAL, NotesModel } from '../board/model'
import { Undo } from '../board/undo'
import { Role } from '../sync/protocol'
import { type NoteRights, mayChangeGroup, mayChangeNote, mayRemoveTalk, mayReplay, mayWriteNotes } from './note-rights'

const participant = (overrides: Partial<NoteRights> = {}): NoteRights => ({
  role: Role.PARTICIPANT, participantId: 'me', locked: false, editOthersNotes: false, ...overrides,
})
const mine = { authorId: 'me' }
const theirs = { authorId: 'them' }

describe('mayChangeNote', () => {
  it('lets a participant change their own notes and not someone else’s', () => {
    expect(mayChangeNote(participant(), mine)).toBe(true)
    expect(mayChangeNote(participant(), theirs)).toBe(false)
  })

  it('lets a participant change every note once the facilitator allows it', () => {
    expect(mayChangeNote(participant({ editOthersNotes: true }), theirs)).toBe(true)
    expect(mayChangeNote(participant({ editOthersNotes: true }), mine)).toBe(true)
  })

  it('lets nobody but the facilitator change anything on a locked board', () => {
    expect(mayChangeNote(participant({ locked: true }), mine)).toBe(false)
    expect(mayChangeNote(participant({ locked: true, editOthersNotes: true }), theirs)).toBe(false)
    expect(mayChangeNote(participant({ role: Role.FACILITATOR, locked: true }), theirs)).toBe(true)
  })

  it('lets a facilitator change every note and an observer none', () => {
    expect(mayChangeNote(participant({ role: Role.FACILITATOR }), theirs)).toBe(true)
    expect(mayChangeNote(participant({ role: Role.OBSERVER }), mine)).toBe(false)
    expect(mayChangeNote(participant({ role: Role.OBSERVER, editOthersNotes: true }), theirs)).toBe(false)
  })

  it('lets nobody change anything before the welcome says who they are', () => {
    expect(mayChangeNote(participant({ role: null }), mine)).toBe(false)
    expect(mayWriteNotes(participant({ role: null }))).toBe(false)
  })

  it('never takes a note without an author for one’s own, even with an empty id', () => {
    expect(mayChangeNote(participant({ participantId: '' }), { authorId: '' })).toBe(false)
    expect(mayChangeNote(participant(), { authorId: '' })).toBe(false)
  })

  it('lets a participant change their private notes (their own document)', () => {
    expect(mayChangeNote(participant(), { authorId: '', private: true })).toBe(true)
    expect(mayChangeNote(participant({ locked: true }), { authorId: 'me', private: true })).toBe(false)
  })
})

const rect: [number, number, number, number] = [10, 20, 180, 120]
const note = (authorId: string) => ({ rect, color: 'yellow' as const, author: authorId, authorId, createdAt: 1 })

/** A board with one note by "me" and one by "them", both arrived from the server (not undoable). */
function board(): { model: NotesModel; undo: Undo; mineId: string; theirsId: string } {
  const server = new NotesModel(new Y.Doc())
  const mineId = server.create(note('me'))
  const theirsId = server.create(note('them'))
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server.doc), 'server')
  const model = new NotesModel(doc)
  const undo = new Undo()
  undo.bind(model)
  return { model, undo, mineId, theirsId }
}

describe('undo steps', () => {
  it('record which notes a step moved, and who wrote them', () => {
    const { model, undo, mineId, theirsId } = board()
    model.setRects(new Map([[mineId, [50, 50, 180, 120]], [theirsId, [300, 50, 180, 120]]]))
    const step = undo.next('undo', (id) => model.get(id) !== null)
    expect(step && Object.fromEntries(step)).toEqual({
      [mineId]: { kind: 'changed', authorId: 'me' },
      [theirsId]: { kind: 'changed', authorId: 'them' },
    })
  })

  it('record a deleted note with its author, read before it went', () => {
    const { model, undo, theirsId } = board()
    model.delete([theirsId])
    expect(model.get(theirsId)).toBeNull()
    expect(undo.next('undo', (id) => model.get(id) !== null)?.get(theirsId)).toEqual({ kind: 'deleted', authorId: 'them' })
  })

  it('record typing in a note as a change to that note, and one’s new note as created', () => {
    const { model, undo, mineId } = board()
    model.doc.transact(() => model.text(mineId)?.insert(0, 'Bonjour'), LOCAL) // as the text binding types
    undo.stopCapturing()
    const created = model.create(note('me'))
    expect(undo.next('undo', () => true)?.get(created)).toEqual({ kind: 'created', authorId: 'me' })
    undo.undo()
    expect(model.get(created)).toBeNull()
    // The redo step is what the undo did: it deleted the note, so a redo creates it again.
    expect(undo.next('redo', () => true)?.get(created)).toEqual({ kind: 'deleted', authorId: 'me' })
    expect(undo.next('undo', () => true)?.get(mineId)).toEqual({ kind: 'changed', authorId: 'me' })
  })

  it('may be replayed when they touch only one’s own notes', () => {
    const { model, undo, mineId } = board()
    model.setRects(new Map([[mineId, [50, 50, 180, 120]]]))
    undo.stopCapturing()
    model.delete([mineId])
    const current = (id: string) => model.get(id)
    const step = undo.next('undo', (id) => current(id) !== null)
    expect(step && mayReplay(participant(), step, current)).toBe(true)
    undo.undo()
    expect(model.get(mineId)?.authorId).toBe('me')
  })

  it('may not be replayed when they change someone else’s note and the facilitator no longer allows it', () => {
    const { model, undo, theirsId } = board()
    model.setRects(new Map([[theirsId, [300, 50, 180, 120]]])) // allowed at the time
    const step = undo.next('undo', (id) => model.get(id) !== null)
    expect(step && mayReplay(participant({ editOthersNotes: true }), step, (id) => model.get(id))).toBe(true)
    expect(step && mayReplay(participant(), step, (id) => model.get(id))).toBe(false)
  })

  it('may not be replayed when they would recreate someone else’s note, even by the facilitator', () => {
    const { model, undo, theirsId } = board()
    model.delete([theirsId])
    const step = undo.next('undo', (id) => model.get(id) !== null)
    expect(step && mayReplay(participant({ role: Role.FACILITATOR, participantId: 'boss' }), step, (id) => model.get(id))).toBe(false)
    expect(step && mayReplay(participant({ editOthersNotes: true }), step, (id) => model.get(id))).toBe(false)
  })

  it('may not be replayed on a locked board or by an observer', () => {
    const { model, undo, mineId } = board()
    model.setRects(new Map([[mineId, [50, 50, 180, 120]]]))
    const step = undo.next('undo', (id) => model.get(id) !== null)
    expect(step && mayReplay(participant({ locked: true }), step, (id) => model.get(id))).toBe(false)
    expect(step && mayReplay(participant({ role: Role.OBSERVER }), step, (id) => model.get(id))).toBe(false)
  })

  it('that can do nothing any more (their note deleted by someone else) are skipped, and a refused one dropped', () => {
    const { model, undo, mineId, theirsId } = board()
    model.setRects(new Map([[mineId, [50, 50, 180, 120]]]))
    undo.stopCapturing()
    model.setRects(new Map([[theirsId, [300, 50, 180, 120]]]))
    undo.stopCapturing()
    const created = model.create(note('me'))
    // The facilitator deletes the new note elsewhere: undoing its creation would do nothing.
    const facilitator = new Y.Doc()
    Y.applyUpdate(facilitator, Y.encodeStateAsUpdate(model.doc))
    new NotesModel(facilitator).delete([created])
    Y.applyUpdate(model.doc, Y.encodeStateAsUpdate(facilitator), 'server')
    expect(model.get(created)).toBeNull()
    const exists = (id: string): boolean => model.get(id) !== null
    expect(undo.next('undo', exists)?.has(theirsId)).toBe(true)
    undo.drop('undo')
    expect(undo.next('undo', exists)?.has(mineId)).toBe(true)
    undo.undo()
    expect(model.get(mineId)?.rect).toEqual(rect)
    expect(model.get(theirsId)?.rect).toEqual([300, 50, 180, 120])
    expect(undo.canUndo).toBe(false)
  })
})

describe('mayChangeGroup', () => {
  it('lets the maker and facilitators change a group, others only when the board allows', () => {
    expect(mayChangeGroup(participant(), { createdBy: 'me' })).toBe(true)
    expect(mayChangeGroup(participant(), { createdBy: 'them' })).toBe(false)
    expect(mayChangeGroup(participant(), { createdBy: '' })).toBe(false)
    expect(mayChangeGroup(participant({ editOthersNotes: true }), { createdBy: 'them' })).toBe(true)
    expect(mayChangeGroup(participant({ locked: true }), { createdBy: 'me' })).toBe(false)
    expect(mayChangeGroup(participant({ role: Role.FACILITATOR, locked: true }), { createdBy: 'them' })).toBe(true)
    expect(mayChangeGroup(participant({ role: Role.OBSERVER }), { createdBy: 'me' })).toBe(false)
  })
})

describe('mayRemoveTalk', () => {
  it('lets a participant take back their own reactions and comments only, even when everyone changes every note', () => {
    expect(mayRemoveTalk(participant(), 'me')).toBe(true)
    expect(mayRemoveTalk(participant(), 'them')).toBe(false)
    expect(mayRemoveTalk(participant({ editOthersNotes: true }), 'them')).toBe(false)
    expect(mayRemoveTalk(participant(), '')).toBe(false)
  })

  it('lets the facilitator clear anyone’s, and nobody else on a locked board', () => {
    expect(mayRemoveTalk(participant({ role: Role.FACILITATOR, locked: true }), 'them')).toBe(true)
    expect(mayRemoveTalk(participant({ locked: true }), 'me')).toBe(false)
    expect(mayRemoveTalk(participant({ role: Role.OBSERVER }), 'me')).toBe(false)
  })
})
