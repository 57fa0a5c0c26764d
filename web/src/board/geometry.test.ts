/** Tests of zone membership and of where a new note goes. */
import { describe, expect, it } from 'vitest'
import { type Rect, intersects, placeInZone, placeNear, zoneOf } from './geometry'

const zone = (id: string, rect: Rect) => ({ id, rect })

describe('zoneOf', () => {
  const zones = [zone('big', [0, 0, 1000, 1000]), zone('small', [100, 100, 200, 200]), zone('side', [1200, 0, 300, 300])]

  it('is the zone containing the note’s centre, the smallest when zones overlap', () => {
    expect(zoneOf([150, 150, 100, 60], zones)?.id).toBe('small')
    expect(zoneOf([500, 500, 100, 60], zones)?.id).toBe('big')
    // The centre decides, not the corner.
    expect(zoneOf([1150, 10, 180, 120], zones)?.id).toBe('side')
    expect(zoneOf([2000, 2000, 100, 60], zones)).toBeNull()
  })
})

describe('placing a note in a zone', () => {
  it('fills the zone slot by slot, inside it and without overlapping', () => {
    const area: Rect = [40, 40, 600, 700]
    const placed: Rect[] = []
    for (let i = 0; i < 6; i++) placed.push(placeInZone(area, placed))
    for (const [i, rect] of placed.entries()) {
      expect(zoneOf(rect, [zone('z', area)])?.id).toBe('z')
      for (const other of placed.slice(i + 1)) expect(intersects(rect, other)).toBe(false)
    }
  })

  it('still lands inside a full zone', () => {
    const area: Rect = [0, 0, 220, 260]
    const placed: Rect[] = []
    for (let i = 0; i < 30; i++) placed.push(placeInZone(area, placed))
    for (const rect of placed) expect(zoneOf(rect, [zone('z', area)])?.id).toBe('z')
    // Cascaded, so the first few never sit exactly on one another.
    const corners = new Set(placed.slice(0, 8).map(([x, y]) => `${x},${y}`))
    expect(corners.size).toBe(8)
  })

  it('outside zones, finds a free spot next to the others', () => {
    const first = placeNear(0, 0, [])
    const second = placeNear(0, 0, [first])
    expect(intersects(first, second)).toBe(false)
  })
})
