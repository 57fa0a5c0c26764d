/** Tests of where a new note goes (docs/board-schema.md, "Where a new note goes"). */
import { describe, expect, it } from 'vitest'
import { type Rect, intersects, zoneOf } from './geometry'
import { type Lane, type PlacementZone, placeNote, slotSize, targetZone } from './placement'

const within = (inner: Rect, outer: Rect): boolean =>
  inner[0] >= outer[0] && inner[1] >= outer[1] && inner[0] + inner[2] <= outer[0] + outer[2] && inner[1] + inner[3] <= outer[1] + outer[3]

function overlapping(rects: readonly Rect[]): [Rect, Rect] | null {
  for (const [i, a] of rects.entries()) for (const b of rects.slice(i + 1)) if (intersects(a, b)) return [a, b]
  return null
}

/** A roadmap as the "etapes-jalons" template draws it: 320x240 cells, 20 apart, rows 80 apart. */
function roadmap(rows = 3, columns = 5): PlacementZone[] {
  const cells: PlacementZone[] = []
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) cells.push({ id: `cell-${r}-${c}`, rect: [200 + c * 340, 100 + r * 320, 320, 240], hint: '' })
  }
  return cells
}

describe('placing a new note', () => {
  const big: PlacementZone = { id: 'big', rect: [0, 0, 1200, 900], hint: 'Une consigne' }

  it('puts notes made at one point in free slots of the zone there, nearest first, then beside it', () => {
    const notes: Rect[] = []
    for (let i = 0; i < 300; i++) notes.push(placeNote({ zones: [big], notes, at: [600, 450] }))
    expect(overlapping(notes)).toBeNull()
    const inside = notes.filter((rect) => within(rect, big.rect))
    // Every slot of the zone is used before any note goes outside it.
    expect(inside.length).toBeGreaterThan(10)
    expect(notes.slice(0, inside.length).every((rect) => within(rect, big.rect))).toBe(true)
    // The first note is the slot nearest to the point, not the zone's corner.
    expect(intersects(notes[0] as Rect, [590, 440, 20, 20])).toBe(true)
    // Then beside the full zone, outside it, the nearest spots first: just below it here.
    for (const rect of notes.slice(inside.length)) expect(intersects(rect, big.rect)).toBe(false)
    expect(notes[inside.length]?.[1]).toBe(900 + 12)
  })

  it('keeps a note of a roadmap inside one cell, never across two rows, even from the gap between rows', () => {
    const cells = roadmap()
    // The view's centre in the gutter between rows 0 and 1 (y 340 to 420), in column 2.
    const at: [number, number] = [200 + 2 * 340 + 160, 385]
    const notes: Rect[] = []
    for (let i = 0; i < 4; i++) notes.push(placeNote({ zones: cells, notes, at }))
    expect(overlapping(notes)).toBeNull()
    const cell = targetZone(cells, ...at) as PlacementZone
    expect(cell.id).toBe('cell-1-2')
    for (const rect of notes) {
      expect(zoneOf(rect, cells)?.id).toBe('cell-1-2')
      expect(within(rect, cell.rect)).toBe(true)
    }
    // A small cell holds three columns and two rows of smaller notes.
    expect(slotSize(cell)).toEqual({ w: 90, h: 60 })
  })

  it('puts an idea sent to a zone in its first free slot, on no note already there', () => {
    const zones: PlacementZone[] = [{ id: 'a', rect: [0, 0, 800, 600] }, { id: 'b', rect: [820, 0, 800, 600] }]
    const there: Rect[] = [[12, 56, 180, 120], [400, 300, 180, 120]]
    const notes = [...there]
    for (let i = 0; i < 5; i++) notes.push(placeNote({ zones, notes, zoneId: 'b' }))
    expect(overlapping(notes)).toBeNull()
    for (const rect of notes.slice(2)) expect(zoneOf(rect, zones)?.id).toBe('b')
    const first = placeNote({ zones, notes: there, zoneId: 'a' })
    expect(zoneOf(first, zones)?.id).toBe('a')
    expect(overlapping([first, ...there])).toBeNull()
  })

  it('keeps two people adding at the same moment apart: each in their own lane while it has room', () => {
    const cells = roadmap(1, 1)
    const bigZone: PlacementZone = { id: 'z', rect: [0, 0, 1600, 1000] }
    for (const zones of [[bigZone], cells]) {
      const [zx, zy] = (zones[0] as PlacementZone).rect
      const at: [number, number] = [zx + 100, zy + 100]
      const lanes: Lane[] = [{ index: 0, count: 2 }, { index: 1, count: 2 }]
      // Each sees only their own notes (the other's have not arrived yet).
      const own = lanes.map(() => [] as Rect[])
      for (let i = 0; i < 2; i++) for (const [p, lane] of lanes.entries()) own[p]?.push(placeNote({ zones, notes: own[p] ?? [], at, lane }))
      expect(overlapping(own.flat())).toBeNull()
    }
  })

  it('puts the notes a full zone of a row of zones cannot hold under it, not in a gap between zones', () => {
    // The "meteo" template: five tall zones side by side, 20 apart.
    const zones: PlacementZone[] = [0, 1, 2, 3, 4].map((i) => ({ id: `z${i}`, rect: [40 + i * 360, 40, 340, 700], hint: 'Consigne' }))
    const notes: Rect[] = []
    for (let i = 0; i < 16; i++) notes.push(placeNote({ zones, notes, zoneId: 'z2' }))
    expect(overlapping(notes)).toBeNull()
    const outside = notes.filter((rect) => zoneOf(rect, zones) === null)
    expect(notes.length - outside.length).toBe(10)
    for (const rect of outside) {
      expect(zones.some((z) => intersects(rect, z.rect))).toBe(false)
      // Under the zone it was meant for.
      expect(rect[1]).toBeGreaterThanOrEqual(740)
      expect(rect[0]).toBeGreaterThanOrEqual(760)
      expect(rect[0] + rect[2]).toBeLessThanOrEqual(1100)
    }
  })

  it('outside the zones, takes a free spot near the point that covers no zone', () => {
    const zones: PlacementZone[] = [{ id: 'a', rect: [0, 0, 400, 400] }]
    const notes: Rect[] = []
    for (let i = 0; i < 20; i++) notes.push(placeNote({ zones, notes, at: [700, 200] }))
    expect(overlapping(notes)).toBeNull()
    expect(notes[0]).toEqual([610, 140, 180, 120])
    for (const rect of notes) expect(intersects(rect, [0, 0, 400, 400])).toBe(false)
  })

  it('does not put a note of a zone over a zone drawn inside it', () => {
    const outer: PlacementZone = { id: 'outer', rect: [0, 0, 1000, 800] }
    const inner: PlacementZone = { id: 'inner', rect: [0, 40, 500, 400] }
    const notes: Rect[] = []
    for (let i = 0; i < 6; i++) notes.push(placeNote({ zones: [outer, inner], notes, zoneId: 'outer' }))
    for (const rect of notes) {
      expect(zoneOf(rect, [outer, inner])?.id).toBe('outer')
      expect(intersects(rect, inner.rect)).toBe(false)
    }
  })

  it('with no zone, goes below everything', () => {
    const zones: PlacementZone[] = [{ id: 'a', rect: [40, 0, 400, 400] }]
    const rect = placeNote({ zones, notes: [], zoneId: null })
    expect(rect[0]).toBe(40)
    expect(rect[1]).toBeGreaterThan(400)
  })
})
