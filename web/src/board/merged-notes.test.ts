/** Tests of the merged shared and private notes of a private writing phase. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MergedNotes } from './merged-notes'
import { NotesModel } from './model'

const note = { rect: [0, 0, 200, 150] as [number, number, number, number], color: 'yellow' as const, author: 'A', authorId: 'a', createdAt: 1 }

describe('merged notes (private writing phase)', () => {
  it('writes new notes to the private document while the phase is on, and shows both', () => {
    let privateOn = true
    const shared = new Y.Doc()
    const own = new NotesModel(new Y.Doc())
    const merged = new MergedNotes(shared, own, () => privateOn)
    const seen: string[] = []
    merged.observe((ids) => seen.push(...ids))
    const secret = merged.create({ ...note, text: 'secret' })
    privateOn = false
    const open = merged.create({ ...note, text: 'open' })
    expect(own.ids()).toEqual([secret])
    expect(new NotesModel(shared).ids()).toEqual([open])
    expect(merged.get(secret)?.private).toBe(true)
    expect(merged.get(open)?.private).toBeUndefined()
    expect(merged.all().map((n) => n.text).sort()).toEqual(['open', 'secret'])
    expect(seen).toEqual([secret, open])
    merged.setRects(new Map([[secret, [10, 10, 200, 150]], [open, [20, 20, 200, 150]]]))
    expect(own.get(secret)?.rect).toEqual([10, 10, 200, 150])
    merged.delete([secret, open])
    expect(merged.all()).toEqual([])
  })
})
