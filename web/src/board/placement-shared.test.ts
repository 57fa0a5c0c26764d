/** The web client places notes as the server's imports do: both run tests/support/placement_cases.json. */
/// <reference types="node" />
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Rect } from './geometry'
import { type PlacementZone, placeNote } from './placement'

interface PlacementCase {
  name: string
  zones: PlacementZone[]
  notes: Rect[]
  adds: (string | null)[]
  expected: Rect[]
}

const FILE = fileURLToPath(new URL('../../../tests/support/placement_cases.json', import.meta.url))
const { cases } = JSON.parse(readFileSync(FILE, 'utf8')) as { cases: PlacementCase[] }

describe('the placement rule shared with the server', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, { zones, notes, adds, expected }) => {
    const placed: Rect[] = []
    for (const zoneId of adds) placed.push(placeNote({ zones, notes: [...notes, ...placed], zoneId }))
    expect(placed).toEqual(expected)
  })
})
