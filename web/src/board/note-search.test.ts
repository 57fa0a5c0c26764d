/** Tests of the note search: fields, accents, several words, reading order, next and previous. */
import { describe, expect, it } from 'vitest'
import { type SearchableNote, fold, nextFound, searchNotes } from './note-search'

const note = (id: string, text: string, author: string, color: string, zone: string, x: number, y: number): SearchableNote => ({
  id, text, author, colorNames: [color, color === 'Vert' ? 'green' : 'yellow'], zone, rect: [x, y, 160, 100],
})

const notes = [
  note('b', 'Plus de réunions courtes', 'Dominique', 'Vert', 'Ce qui va', 400, 100),
  note('a', 'Été trop chaud', 'Camille', 'Jaune', 'Ce qui va', 100, 100),
  note('c', 'Moins de café', '', 'Vert', 'À améliorer', 100, 300),
]

describe('searchNotes', () => {
  it('finds by text, author, colour (either language) or zone, accents and case aside', () => {
    expect(searchNotes(notes, 'ete')).toEqual(['a'])
    expect(searchNotes(notes, 'DOMINIQUE')).toEqual(['b'])
    expect(searchNotes(notes, 'vert')).toEqual(['b', 'c'])
    expect(searchNotes(notes, 'green')).toEqual(['b', 'c'])
    expect(searchNotes(notes, 'ameliorer')).toEqual(['c'])
  })

  it('needs every word, and lists in reading order', () => {
    expect(searchNotes(notes, 'vert café')).toEqual(['c'])
    expect(searchNotes(notes, 'va')).toEqual(['a', 'b'])
    expect(searchNotes(notes, '   ')).toEqual([])
  })

  it('does not find an anonymous note by a name', () => {
    expect(searchNotes(notes, 'camille dominique')).toEqual([])
  })
})

describe('nextFound', () => {
  it('goes round the found notes, both ways', () => {
    expect(nextFound(['a', 'b', 'c'], null)).toBe('a')
    expect(nextFound(['a', 'b', 'c'], 'c')).toBe('a')
    expect(nextFound(['a', 'b', 'c'], 'a', true)).toBe('c')
    expect(nextFound(['a', 'b'], 'gone')).toBe('a')
    expect(nextFound([], 'a')).toBeNull()
  })

  it('folds accents', () => {
    expect(fold('ÉTÉ à Noël')).toBe('ete a noel')
  })
})
