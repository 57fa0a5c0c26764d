/** Tests of the reactions and comments model on real notes documents: the documented shape, one of each per person, counts, clearing, change events, and no undo step. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { NotesModel } from './model'
import { MAX_COMMENT_CHARS, TalkModel } from './reactions'
import { Undo } from './undo'

function board(): { doc: Y.Doc; notes: NotesModel; talk: TalkModel; ids: [string, string] } {
  const doc = new Y.Doc()
  const notes = new NotesModel(doc)
  const make = (text: string, i: number): string =>
    notes.create({ rect: [i * 200, 0, 180, 120], color: 'yellow', text, author: 'Alice', authorId: 'me', createdAt: 1 })
  return { doc, notes, talk: new TalkModel(doc), ids: [make('a', 0), make('b', 1)] }
}

describe('TalkModel', () => {
  it('keeps one reaction of each emoji per person, as one key each, and counts them per note', () => {
    const { doc, talk, ids } = board()
    talk.toggle(ids[0], '👍', 'me')
    talk.toggle(ids[0], '👍', 'you')
    talk.toggle(ids[0], '💡', 'you')
    talk.toggle(ids[1], '❓', 'me')
    expect(doc.getMap('reactions').toJSON()).toEqual({
      [`${ids[0]}/👍/me`]: true,
      [`${ids[0]}/👍/you`]: true,
      [`${ids[0]}/💡/you`]: true,
      [`${ids[1]}/❓/me`]: true,
    })
    expect(talk.reactionsOf(ids[0], 'me')).toEqual([
      { emoji: '👍', count: 2, mine: true },
      { emoji: '💡', count: 1, mine: false },
    ])
    talk.toggle(ids[0], '👍', 'me')
    expect(talk.reactionsOf(ids[0], 'me')).toEqual([
      { emoji: '👍', count: 1, mine: false },
      { emoji: '💡', count: 1, mine: false },
    ])
  })

  it('writes comments in the documented shape, oldest first, cut to the limit', () => {
    const { doc, talk, ids } = board()
    const later = talk.comment(ids[0], 'deux', { participantId: 'you', name: 'Bob' }, 20)
    const first = talk.comment(ids[0], 'x'.repeat(MAX_COMMENT_CHARS + 10), { participantId: 'me', name: 'Alice' }, 10)
    expect((doc.getMap('comments').get(later) as Y.Map<unknown>).toJSON()).toEqual({ noteId: ids[0], authorId: 'you', author: 'Bob', text: 'deux', createdAt: 20 })
    expect(talk.commentsOf(ids[0]).map((c) => c.id)).toEqual([first, later])
    expect(talk.commentsOf(ids[0])[0]?.text).toHaveLength(MAX_COMMENT_CHARS)
    expect(talk.commentsOf(ids[1])).toEqual([])
  })

  it('clears one note in one update and says which notes changed, deleted comments included', () => {
    const { doc, talk, ids } = board()
    const seen: string[][] = []
    talk.observe((changed) => seen.push([...changed]))
    talk.toggle(ids[0], '👍', 'me')
    const kept = talk.comment(ids[1], 'reste', { participantId: 'me', name: 'Alice' }, 1)
    talk.comment(ids[0], 'part', { participantId: 'you', name: 'Bob' }, 1)
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    seen.length = 0
    talk.clear(ids[0])
    expect(updates).toHaveLength(1)
    expect(seen.flat()).toEqual([ids[0], ids[0]])
    expect(talk.reactionsOf(ids[0], 'me')).toEqual([])
    expect(talk.commentsOf(ids[0])).toEqual([])
    seen.length = 0
    talk.deleteComment(kept)
    expect(seen).toEqual([[ids[1]]])
  })

  it('reads what changed from inside a change listener, from another person too', () => {
    const { doc, talk, ids } = board()
    const read: number[] = []
    talk.observe(() => read.push(talk.commentsOf(ids[0]).length + talk.reactionsOf(ids[0], 'me').length))
    talk.comment(ids[0], 'un', { participantId: 'me', name: 'Alice' }, 1)
    talk.toggle(ids[0], '👍', 'me')
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    new TalkModel(other).comment(ids[0], 'deux', { participantId: 'you', name: 'Bob' }, 2)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other))
    expect(read).toEqual([1, 2, 3])
  })

  it('makes no undo step', () => {
    const { notes, talk, ids } = board()
    const undo = new Undo()
    undo.bind(notes)
    talk.toggle(ids[0], '👍', 'me')
    talk.comment(ids[0], 'un', { participantId: 'me', name: 'Alice' }, 1)
    expect(undo.canUndo).toBe(false)
  })
})
