/** Links in a note's text follow the rule shared with the exports: tests/support/link_cases.json. */
/// <reference types="node" />
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { findLinks } from './links'

interface LinkCase {
  name: string
  text: string
  parts: [string, string | null][]
}

const FILE = fileURLToPath(new URL('../../../tests/support/link_cases.json', import.meta.url))
const { cases } = JSON.parse(readFileSync(FILE, 'utf8')) as { cases: LinkCase[] }

describe('links in a note, the rule shared with the exports', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, { text, parts }) => {
    const found = findLinks(text)
    expect(found.map((p) => [p.text, p.href])).toEqual(parts)
    expect(found.map((p) => p.text).join('')).toBe(text)
  })
})
