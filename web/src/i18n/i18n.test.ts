/** Tests of the translations (same keys and placeholders in both languages) and of the language choice. */
import { describe, expect, it } from 'vitest'
import { en } from './en'
import { fr } from './fr'
import { format, pickLocale } from './index'

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort()

describe('translations', () => {
  it('French and English have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort())
  })

  it('no text is empty', () => {
    for (const [key, text] of [...Object.entries(fr), ...Object.entries(en)]) {
      expect(text.trim(), key).not.toBe('')
    }
  })

  it('French writes its apostrophes curly (’), never straight', () => {
    // Issue 22: straight and curly apostrophes were mixed in the interface. French uses ’.
    const straight = Object.entries(fr).filter(([, text]) => text.includes("'")).map(([key]) => key)
    expect(straight).toEqual([])
  })

  it('both languages use the same placeholders in each text', () => {
    for (const key of Object.keys(fr) as Array<keyof typeof fr>) {
      expect(placeholders(en[key]), key).toEqual(placeholders(fr[key]))
    }
  })
})

describe('language choice', () => {
  it('takes the person’s choice, else the first language of the browser we have, else French', () => {
    expect(pickLocale(['en-GB', 'fr'], 'fr')).toBe('fr')
    expect(pickLocale(['de-DE', 'en-US', 'fr'], null)).toBe('en')
    expect(pickLocale(['fr-BE'], null)).toBe('fr')
    expect(pickLocale(['de', 'it'], null)).toBe('fr')
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('Bonjour {name} {missing}', { name: 'Camille' })).toBe('Bonjour Camille {missing}')
  })
})
