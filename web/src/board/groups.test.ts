/** Tests of the groups (themes) model on real notes documents: the documented shape, membership, undoing a group, and no undo step. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { GroupsModel } from './groups'
import { LOCAL, NotesModel } from './model'
import { Undo } from './undo'

function board(): { doc: Y.Doc; notes: NotesModel; groups: GroupsModel; ids: [string, string, string] } {
  const doc = new Y.Doc()
  const notes = new NotesModel(doc)
  const make = (text: string, i: number): string =>
    notes.create({ rect: [i * 200, 0, 180, 120], color: 'yellow', text, author: 'Alice', authorId: i < 2 ? 'me' : 'them', createdAt: 1 })
  const ids: [string, string, string] = [make('a', 0), make('b', 1), make('c', 2)]
  return { doc, notes, groups: new GroupsModel(doc), ids }
}

describe('GroupsModel', () => {
  it('makes a group of notes in one update, in the documented shape', () => {
    const { doc, groups, ids } = board()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    const id = groups.create('Mobilité', ids.slice(0, 2), 'me', 5)
    expect(updates).toHaveLength(1)
    expect(doc.getMap('groups').toJSON()).toEqual({ [id]: { title: 'Mobilité', createdBy: 'me', createdAt: 5, folded: false } })
    expect(groups.members(id).sort()).toEqual(ids.slice(0, 2).sort())
    expect(groups.groupOf(ids[0])).toBe(id)
    expect(groups.groupOf(ids[2])).toBe('')
    expect(id).not.toBe(ids[0])
  })

  it('undoes a group, leaving the groupId of notes one may not change (read as none)', () => {
    const { groups, ids } = board()
    const id = groups.create('Tout', ids, 'me', 5)
    groups.ungroup(id, (noteId) => noteId !== ids[2])
    expect(groups.get(id)).toBeNull()
    expect(ids.map((noteId) => groups.groupOf(noteId))).toEqual(['', '', ''])
    expect(groups.doc.getMap('notes').get(ids[2]) instanceof Y.Map && (groups.doc.getMap('notes').get(ids[2]) as Y.Map<unknown>).get('groupId')).toBe(id)
  })

  it('renames and folds, and makes no undo step', () => {
    const { notes, groups, ids } = board()
    const undo = new Undo()
    undo.bind(notes)
    const id = groups.create('Thème', ids.slice(0, 1), 'me', 5)
    groups.rename(id, 'x'.repeat(300))
    groups.setFolded(id, true)
    expect(groups.get(id)).toMatchObject({ title: 'x'.repeat(200), folded: true })
    // Ctrl+Z would take the note out and leave the group empty: "Dégrouper" undoes a group.
    expect(undo.canUndo).toBe(false)
  })

  it('a drop moves notes into a group and out of it with the move: one undo step takes both back', () => {
    const { notes, groups, ids } = board()
    const first = groups.create('Vélo', ids.slice(0, 1), 'me', 5)
    const second = groups.create('Tram', ids.slice(1, 2), 'me', 6)
    const undo = new Undo()
    undo.bind(notes)
    // As a drop does it: the move, then the change of group, both LOCAL and in one capture.
    notes.setRects(new Map([[ids[0], [220, 10, 180, 120]]]))
    groups.join(second, [ids[0]], LOCAL)
    expect(groups.members(second).sort()).toEqual(ids.slice(0, 2).sort())
    // The group left empty is kept (docs/board-schema.md).
    expect(groups.get(first)).not.toBeNull()
    expect(groups.members(first)).toEqual([])
    undo.undo()
    expect(groups.groupOf(ids[0])).toBe(first)
    expect(notes.get(ids[0])?.rect).toEqual([0, 0, 180, 120])
    expect(undo.canUndo).toBe(false)
    groups.leave([ids[1]], LOCAL)
    expect(groups.groupOf(ids[1])).toBe('')
    expect(groups.get(second)).not.toBeNull()
  })
})
