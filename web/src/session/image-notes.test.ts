/** Tests of image notes in the notes model (docs/board-schema.md, Image notes), their size on the board, and the words of a refused picture. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { en } from '../i18n/en'
import { imageRefusalKey } from '../i18n/error-words'
import { fr } from '../i18n/fr'
import { imageRect } from './note-commands'
import { NotesModel, isImageId } from '../board/model'

const note = { rect: [10, 20, 180, 120] as [number, number, number, number], color: 'blue' as const, author: 'Camille', authorId: 'p1', createdAt: 1000 }
const IMAGE = 'Ab3_x-kkkkkkkkkkkkkkkk'

describe('image notes', () => {
  it('write the picture’s id as `imageId`, and read only an id of the server’s shape', () => {
    const model = new NotesModel(new Y.Doc())
    const id = model.create({ ...note, text: 'Le mur', imageId: IMAGE })
    expect((model.map.get(id) as Y.Map<unknown>).get('imageId')).toBe(IMAGE)
    expect(model.get(id)?.imageId).toBe(IMAGE)
    const plain = model.create(note)
    expect((model.map.get(plain) as Y.Map<unknown>).has('imageId')).toBe(false)
    // A stock client's other value is no picture: the note reads as a text note.
    ;(model.map.get(plain) as Y.Map<unknown>).set('imageId', 'javascript:alert(1)')
    expect(model.get(plain)?.imageId).toBeUndefined()
    expect(isImageId(IMAGE)).toBe(true)
    expect(isImageId(`${IMAGE}x`)).toBe(false)
    expect(isImageId(22)).toBe(false)
  })

  it('take the picture’s proportions, at most 240 units a side in a usual slot, smaller in a small one', () => {
    expect(imageRect([100, 50, 180, 120], { width: 2048, height: 1024 })).toEqual([100, 50, 264, 158])
    expect(imageRect([0, 0, 180, 120], { width: 300, height: 600 })).toEqual([0, 0, 144, 278])
    const small = imageRect([0, 0, 90, 60], { width: 1000, height: 1000 })
    expect(small[2]).toBeLessThan(180)
  })

  it('say why a picture was refused, in both languages', () => {
    expect(imageRefusalKey('invalid')).toBe('image.refused.invalid')
    expect(imageRefusalKey('payload_too_large')).toBe('image.refused.payload_too_large')
    expect(imageRefusalKey('internal')).toBe('image.refused.other')
    expect(fr['image.refused.payload_too_large']).toContain('10 Mo')
    expect(en['image.refused.payload_too_large']).toContain('10 MB')
  })
})
