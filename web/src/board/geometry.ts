/** Board geometry: rectangles in board units and zone membership (where a new note goes: placement.ts). */

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
