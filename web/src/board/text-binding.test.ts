/** Tests of the textarea-to-Y.Text binding: the smallest edit, caret moves, two people typing. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Delta, diffText, transformIndex } from './text-binding'

describe('diffText', () => {
  it('finds a plain insertion, deletion and replacement', () => {
    expect(diffText('Bonjour', 'Bonjour !')).toEqual({ index: 7, remove: 0, insert: ' !' })
    expect(diffText('Bonjour', 'Bour', 2)).toEqual({ index: 2, remove: 3, insert: '' })
    expect(diffText('un chat', 'un chien', 8)).toEqual({ index: 5, remove: 2, insert: 'ien' })
  })

  it('uses the caret to place a repeated letter where it was typed', () => {
    // "aa" -> "aaa" with the caret after the second letter: the insertion is at 1.
    expect(diffText('aa', 'aaa', 2)).toEqual({ index: 1, remove: 0, insert: 'a' })
  })

  it('never splits a surrogate pair (emoji)', () => {
    const edit = diffText('a😀', 'a😃', 3)
    expect(edit.index).toBe(1)
    expect(edit.remove).toBe(2)
    expect(edit.insert).toBe('😃')
  })
})

describe('transformIndex', () => {
  it('moves the caret past text inserted or deleted before it, not text inserted at it', () => {
    const insertBefore: Delta = [{ retain: 1 }, { insert: 'xyz' }]
    expect(transformIndex(4, insertBefore)).toBe(7)
    expect(transformIndex(1, insertBefore)).toBe(1)
    expect(transformIndex(4, [{ delete: 2 }])).toBe(2)
    expect(transformIndex(1, [{ delete: 3 }])).toBe(0)
    expect(transformIndex(2, [{ retain: 5 }, { insert: 'later' }])).toBe(2)
  })
})

describe('two people typing in one note', () => {
  it('both keep their words, whatever order the edits arrive in', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    a.getText('t').insert(0, 'Idée :')
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const apply = (doc: Y.Doc, before: string, after: string, caret: number): void => {
      const edit = diffText(before, after, caret)
      const text = doc.getText('t')
      text.delete(edit.index, edit.remove)
      text.insert(edit.index, edit.insert)
    }
    apply(a, 'Idée :', 'Idée : rapide', 13)
    apply(b, 'Idée :', 'Idée : partagée', 15)
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const result = a.getText('t').toString()
    expect(b.getText('t').toString()).toBe(result)
    expect(result).toContain(' rapide')
    expect(result).toContain(' partagée')
  })
})
