/** Tests of the words for refused writes: a note that is not one's own to change is said as such. */
import { describe, expect, it } from 'vitest'
import { errorKey, refusalKey } from './error-words'
import { en } from './en'
import { fr } from './fr'

describe('refusalKey', () => {
  it('says a refused notes write `forbidden` is about changing only one’s own notes', () => {
    expect(refusalKey('forbidden', 'notes')).toBe('refusal.forbiddenNote')
    expect(fr['refusal.forbiddenNote']).toContain('vos propres post-it')
    expect(en['refusal.forbiddenNote']).toContain('your own sticky notes')
  })

  it('keeps the link’s words for `forbidden` on the layout, and the other codes', () => {
    expect(refusalKey('forbidden')).toBe('refusal.forbidden')
    expect(refusalKey('forbidden', 'layout')).toBe('refusal.forbidden')
    expect(refusalKey('board_locked', 'notes')).toBe('refusal.board_locked')
    expect(refusalKey('out_of_sync', 'notes')).toBe('refusal.other')
  })

  it('gives every known error code a sentence', () => {
    expect(errorKey('forbidden')).toBe('error.forbidden')
    expect(errorKey('no_such_code')).toBe('error.internal')
  })
})
