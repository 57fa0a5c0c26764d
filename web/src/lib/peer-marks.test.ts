/** Tests of the initials shown in avatars. */
import { describe, expect, it } from 'vitest'
import { initials } from './peer-marks'

describe('initials', () => {
  it('takes letters only: a bracket, a digit or a sign is never an initial', () => {
    // Issue 22: "Claire (anim)" showed "C(".
    expect(initials('Claire (anim)')).toBe('CA')
    expect(initials('(Claire)')).toBe('C')
    expect(initials('Dominique - 2e rang')).toBe('DR')
    expect(initials('« Ernest »')).toBe('E')
  })

  it('uses the first and the last word, in capitals, accents kept', () => {
    expect(initials('camille')).toBe('C')
    expect(initials('Jean Paul Sartre')).toBe('JS')
    expect(initials('élodie  ùrsule')).toBe('ÉÙ')
  })

  it('shows a question mark when the name has no letter', () => {
    expect(initials('')).toBe('?')
    expect(initials('  42 !! ')).toBe('?')
  })
})
