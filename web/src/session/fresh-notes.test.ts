import { describe, expect, it } from 'vitest'
import type { Rect } from '../board/geometry'
import type { NoteData } from '../board/model'
import { FRESH_MS, FreshNotes, givingWay } from './fresh-notes'

const note = (id: string, rect: Rect, createdAt: number, isPrivate = false): NoteData => ({
  id, rect, createdAt, text: '', color: 'yellow', author: '', authorId: '', z: 0, ...(isPrivate ? { private: true } : {}),
})

describe('a note just placed giving way to another landing on it', () => {
  it('moves the later of two notes on the same slot, and only that one, on both sides', () => {
    const a = note('a', [0, 0, 100, 60], 1000)
    const b = note('b', [0, 0, 100, 60], 1001)
    expect(givingWay([a], [b])).toEqual([])
    expect(givingWay([b], [a])).toEqual(['b'])
  })

  it('breaks a tie of creation times by id, the same way on both sides', () => {
    const a = note('a', [0, 0, 100, 60], 1000)
    const b = note('b', [50, 30, 100, 60], 1000)
    expect(givingWay([a], [b])).toEqual([])
    expect(givingWay([b], [a])).toEqual(['b'])
  })

  it('leaves notes that only touch, and always moves a private note (the others cannot see it)', () => {
    const a = note('a', [0, 0, 100, 60], 1000)
    expect(givingWay([a], [note('b', [100, 0, 100, 60], 900)])).toEqual([])
    expect(givingWay([note('p', [0, 0, 100, 60], 500, true)], [a])).toEqual(['p'])
  })

  it('forgets a note once it is moved by its writer, deleted, or older than FRESH_MS', () => {
    let now = 0
    const fresh = new FreshNotes(() => now)
    const notes = new Map<string, NoteData>([['a', note('a', [0, 0, 100, 60], 0)], ['b', note('b', [200, 0, 100, 60], 0)], ['c', note('c', [400, 0, 100, 60], 0)]])
    for (const n of notes.values()) fresh.remember(n.id, n.rect)
    notes.set('b', note('b', [210, 0, 100, 60], 0))
    notes.delete('c')
    expect(fresh.current((id) => notes.get(id) ?? null).map((n) => n.id)).toEqual(['a'])
    now = FRESH_MS + 1
    expect(fresh.current((id) => notes.get(id) ?? null)).toEqual([])
    expect(fresh.size).toBe(0)
  })
})
