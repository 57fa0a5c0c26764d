import { describe, expect, it } from 'vitest'
import { readTables } from './workshops'

describe('readTables', () => {
  it('reads a title and an optional question per line, blank lines skipped', () => {
    expect(readTables('Où aller ? : Quelles finalités ?\n\n  Ressources  \nhttp://x.org : lien')).toEqual([
      { title: 'Où aller ?', question: 'Quelles finalités ?' },
      { title: 'Ressources', question: '' },
      { title: 'http://x.org', question: 'lien' },
    ])
  })

  it('keeps a colon inside a word (an address) in the title', () => {
    expect(readTables('Table 1:ouverte')).toEqual([{ title: 'Table 1:ouverte', question: '' }])
  })
})
