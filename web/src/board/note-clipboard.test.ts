/** Tests of copying notes: the clipboard payload, where copies land, pasted lines. */
import { describe, expect, it } from 'vitest'
import { COPY_OFFSET, type CopiedNote, copyNotes, pastedRects, readCopiedNotes, textLines } from './note-clipboard'

const notes: CopiedNote[] = [
  { text: 'B', color: 'blue', rect: [300, 100, 160, 100] },
  { text: 'A', color: 'yellow', rect: [100, 100, 160, 100] },
  { text: 'C', color: 'green', rect: [100, 400, 200, 120] },
]

describe('copied notes', () => {
  it('go in reading order, their texts as plain text, and read back the same', () => {
    const payload = copyNotes(notes)
    expect(payload.text).toBe('A\nB\nC')
    expect(readCopiedNotes(JSON.stringify(payload))).toEqual(payload)
  })

  it('land with their arrangement kept, the group at the pointer, or offset without one', () => {
    expect(pastedRects(notes, [1000, 50])).toEqual([[1200, 50, 160, 100], [1000, 50, 160, 100], [1000, 350, 200, 120]])
    expect(pastedRects(notes.slice(0, 1), null)).toEqual([[300 + COPY_OFFSET, 100 + COPY_OFFSET, 160, 100]])
  })

  it('are refused when the clipboard holds anything else', () => {
    for (const raw of [null, '', 'plain words', '[]', '{"text":"a","notes":[]}', '{"text":"a","notes":[{"text":"a","color":"mauve","rect":[0,0,1,1]}]}',
      '{"text":"a","notes":[{"text":"a","color":"red","rect":[0,0,"1",1]}]}']) {
      expect(readCopiedNotes(raw)).toBeNull()
    }
  })
})

describe('pasted text', () => {
  it('makes one note per non-empty line, trimmed, whatever the line ends', () => {
    expect(textLines('  Un\r\n\nDeux\rTrois \n   \n')).toEqual(['Un', 'Deux', 'Trois'])
    expect(textLines('')).toEqual([])
  })
})
