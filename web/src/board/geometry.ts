/** Board geometry: rectangles in board units, zone membership, where a new note goes. */

export type Rect = [x: number, y: number, w: number, h: number]

export const NOTE_SIZE = { w: 180, h: 120 } as const
export const MIN_NOTE_SIZE = { w: 80, h: 60 } as const
export const MAX_NOTE_SIZE = { w: 800, h: 800 } as const

export interface HasRect {
  id: string
  rect: Rect
}

export function isRect(value: unknown): value is Rect {
  return Array.isArray(value) && value.length === 4 && value.every((v) => typeof v === 'number' && Number.isFinite(v))
}

export function centre(rect: Rect): [number, number] {
  return [rect[0] + rect[2] / 2, rect[1] + rect[3] / 2]
}

export function contains(rect: Rect, x: number, y: number): boolean {
  return x >= rect[0] && x <= rect[0] + rect[2] && y >= rect[1] && y <= rect[1] + rect[3]
}

export function intersects(a: Rect, b: Rect): boolean {
  return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]
}

/**
 * The zone a note belongs to: the one containing its centre, the smallest if several overlap
 * (docs/board-schema.md). Derived, never stored, so that a move stays one change.
 */
export function zoneOf<Z extends HasRect>(rect: Rect, zones: readonly Z[]): Z | null {
  const [cx, cy] = centre(rect)
  let best: Z | null = null
  let bestArea = Infinity
  for (const zone of zones) {
    if (!contains(zone.rect, cx, cy)) continue
    const area = zone.rect[2] * zone.rect[3]
    if (area < bestArea) {
      best = zone
      bestArea = area
    }
  }
  return best
}

/** The smallest rectangle holding all of them, or null for none. */
export function bounds(rects: Iterable<Rect>): Rect | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity
  for (const [x, y, w, h] of rects) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y)
    x1 = Math.max(x1, x + w); y1 = Math.max(y1, y + h)
  }
  return x0 === Infinity ? null : [x0, y0, x1 - x0, y1 - y0]
}

// Room left under a zone's title and hint before the first row of notes.
const ZONE_HEADER = 90
const GAP = 16

/**
 * Where a note added "to a zone" goes: the first free slot of a grid inside the zone (below its
 * title), so that ideas sent from phones line up instead of piling on one spot. When the zone is
 * full, slots are reused with a small offset, still inside the zone.
 */
export function placeInZone(zone: Rect, occupied: readonly Rect[], size = NOTE_SIZE): Rect {
  const [zx, zy, zw, zh] = zone
  const w = Math.min(size.w, Math.max(MIN_NOTE_SIZE.w, zw - 2 * GAP))
  const h = Math.min(size.h, Math.max(MIN_NOTE_SIZE.h, zh - ZONE_HEADER - GAP))
  const top = zh > ZONE_HEADER + h + GAP ? zy + ZONE_HEADER : zy + GAP
  const columns = Math.max(1, Math.floor((zw - GAP) / (w + GAP)))
  const rows = Math.max(1, Math.floor((zy + zh - top) / (h + GAP)))
  const slots = columns * rows
  const slot = (i: number, shift: number): Rect =>
    [zx + GAP + (i % columns) * (w + GAP) + shift, top + Math.floor(i / columns) * (h + GAP) + shift, w, h]
  for (let i = 0; i < slots; i++) {
    const rect = slot(i, 0)
    if (!occupied.some((other) => intersects(shrink(rect, 4), other))) return rect
  }
  // Full: cascade over the slots, each new note a little lower and to the right, so none hides
  // another completely and the centre stays in the zone.
  for (let layer = 1; layer < 8; layer++) {
    for (let i = 0; i < slots; i++) {
      const rect = slot(i, layer * 14)
      if (!occupied.some((other) => other[0] === rect[0] && other[1] === rect[1])) return rect
    }
  }
  return slot(0, 0)
}

/** A free spot near a point (for notes added outside any zone): right of what is there. */
export function placeNear(x: number, y: number, occupied: readonly Rect[], size = NOTE_SIZE): Rect {
  for (let i = 0; i < 200; i++) {
    const col = i % 10
    const row = Math.floor(i / 10)
    const rect: Rect = [x + col * (size.w + GAP), y + row * (size.h + GAP), size.w, size.h]
    if (!occupied.some((other) => intersects(shrink(rect, 4), other))) return rect
  }
  return [x, y, size.w, size.h]
}

function shrink([x, y, w, h]: Rect, by: number): Rect {
  return [x + by, y + by, Math.max(0, w - 2 * by), Math.max(0, h - 2 * by)]
}
