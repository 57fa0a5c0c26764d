/** The `?` dialog and docs/web-client.md list the same shortcuts: the docs' table is SHORTCUTS with the English texts. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { en } from '../i18n/en'
import { fr } from '../i18n/fr'
import { SHORTCUTS, keysText } from './shortcuts'

function docsTable(): string[] {
  const docs = readFileSync(new URL('../../../docs/web-client.md', import.meta.url), 'utf8')
  const section = docs.slice(docs.indexOf('## Keyboard'))
  const lines = section.slice(section.indexOf('| key | does |')).split('\n').slice(2)
  const end = lines.findIndex((line) => !line.startsWith('|'))
  return lines.slice(0, end === -1 ? lines.length : end)
}

describe('shortcuts', () => {
  it('are the rows of the docs table, in order, with the English texts', () => {
    expect(docsTable()).toEqual(SHORTCUTS.map((shortcut) => `| ${shortcut.keys} | ${en[shortcut.does]} |`))
  })

  it('have a French text each, and keys written in the person’s words', () => {
    for (const shortcut of SHORTCUTS) expect(fr[shortcut.does]).toBeTruthy()
    expect(keysText('`Enter` or `F2`', { or: 'ou', arrows: 'flèches' })).toBe('Enter ou F2')
    expect(keysText('arrows', { or: 'ou', arrows: 'flèches' })).toBe('flèches')
  })
})
