/**
 * Where a new note goes: inside its zone, on no other note (docs/board-schema.md, "Where a new
 * note goes"). The server's imports follow the same rule (server/boards/export/placement.py):
 * a change here is a change there, and in that section.
 */
import { type HasRect, MIN_NOTE_SIZE, NOTE_SIZE, type Rect, contains, intersects, zoneOf } from './geometry'

/** Space between notes and from a zone's sides. */
const PLACEMENT_GAP = 12
/** Room kept at the top of a zone for its title, and for its hint when it has one. */
const HEADER = 56
const HEADER_WITH_HINT = 84
/** A point in the gap between zones (a grid's gutter) counts for the nearest zone this close. */
const NEAR_ZONE = 100
/** Notes per line in the area below the zones. */
const LINE_LENGTH = 6
/** How far around a point outside the zones a free spot is looked for, in note steps. */
const AROUND_STEPS = 8
/** Columns (to the right) and lines (below) of spots looked at beside a full zone. */
const BESIDE_STEPS = 40

export interface PlacementZone extends HasRect {
  hint?: string
}

/**
 * This person's lane among the people writing now: each takes, while one is free, a slot whose
 * index is its lane modulo the lane count, so that two people adding at the same moment (each
 * not yet seeing the other's note) do not pick the same slot.
 */
export interface Lane {
  index: number
  count: number
}

export interface PlacementRequest {
  zones: readonly PlacementZone[]
  /** Rectangles of the notes already there (all this person sees, private ones included). */
  notes: readonly Rect[]
  /** The zone chosen (the idea form, an import); undefined: the zone at `at`; null: none. */
  zoneId?: string | null
  /** The pointer, or the view's centre: picks the zone, then the free slot nearest to it. */
  at?: readonly [number, number] | null
  lane?: Lane
}

const ALONE: Lane = { index: 0, count: 1 }

/** The rectangle of a new note. */
export function placeNote(request: PlacementRequest): Rect {
  const { zones, at = null, lane = ALONE } = request
  const notes = request.notes
  const zone = request.zoneId !== undefined
    ? zones.find((z) => z.id === request.zoneId) ?? null
    : at ? targetZone(zones, at[0], at[1]) : null
  if (zone) {
    const inside = pick(zoneSlots(zone, zones, at), (rect) => !notes.some((n) => intersects(rect, n)), lane)
    if (inside) return inside
    const beside = pick(besideZone(zone, zones), (rect) => isOpen(rect, notes, zones), lane)
    if (beside) return beside
  } else if (at) {
    const near = pick(aroundPoint(at), (rect) => isOpen(rect, notes, zones), lane)
    if (near) return near
  }
  return belowBoard(zones, notes)
}

/**
 * The zone a new note made at a point goes to: the one containing it (the smallest), else, for
 * a point in the gap between zones, the nearest one; null outside the zones.
 */
export function targetZone<Z extends HasRect>(zones: readonly Z[], x: number, y: number): Z | null {
  const under = zoneOf([x, y, 0, 0], zones)
  if (under) return under
  let best: Z | null = null
  let bestDistance = NEAR_ZONE
  for (const zone of zones) {
    const distance = distanceTo(zone.rect, x, y)
    if (distance <= bestDistance) {
      best = zone
      bestDistance = distance
    }
  }
  return best
}

/**
 * The note size for a zone: the usual size, or smaller (down to half) so that a small zone, a
 * roadmap's cell, holds six notes: three columns and two rows, or two columns and three rows,
 * whichever lets them be larger (a cell held four before one went beside it).
 */
export function slotSize(zone: PlacementZone): { w: number; h: number } {
  const [, , zw, zh] = zone.rect
  const g = PLACEMENT_GAP
  const fit = (columns: number, rows: number): number => Math.min(
    (zw - (columns + 1) * g) / columns / NOTE_SIZE.w,
    (zh - headerOf(zone) - (rows + 1) * g) / rows / NOTE_SIZE.h,
  )
  const scale = Math.max(MIN_NOTE_SIZE.h / NOTE_SIZE.h, Math.min(1, Math.max(fit(3, 2), fit(2, 3))))
  return { w: Math.floor(NOTE_SIZE.w * scale), h: Math.floor(NOTE_SIZE.h * scale) }
}

interface Candidate {
  rect: Rect
  /** Its place in the zone's grid (lanes split these), whatever order it is tried in. */
  index: number
}

/** The zone's slots, rows below its header, nearest to `at` first when `at` is in the zone. */
function zoneSlots(zone: PlacementZone, zones: readonly PlacementZone[], at: readonly [number, number] | null): Candidate[] {
  const [zx, zy, zw, zh] = zone.rect
  const g = PLACEMENT_GAP
  const { w, h } = slotSize(zone)
  const header = headerOf(zone)
  const top = zh - header >= h + g ? zy + header : zy + g
  const columns = Math.floor((zw - g) / (w + g))
  const rows = Math.floor((zy + zh - top) / (h + g))
  const slots: Candidate[] = []
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const rect: Rect = [zx + g + column * (w + g), top + row * (h + g), w, h]
      // A slot over a zone drawn inside this one would belong to that zone.
      if (zoneOf(rect, zones) !== zone || coversInnerZone(rect, zone, zones)) continue
      slots.push({ rect, index: row * columns + column })
    }
  }
  if (at && contains(zone.rect, at[0], at[1])) {
    const away = (rect: Rect): number => (rect[0] + w / 2 - at[0]) ** 2 + (rect[1] + h / 2 - at[1]) ** 2
    slots.sort((a, b) => away(a.rect) - away(b.rect) || a.index - b.index)
  }
  return slots
}

/**
 * Spots beside a full zone, nearest to it first: below every zone in line with it, or right of
 * every zone level with it (never in a gap between zones).
 */
function besideZone(zone: PlacementZone, zones: readonly PlacementZone[]): Candidate[] {
  const [zx, zy, zw, zh] = zone.rect
  const g = PLACEMENT_GAP
  const { w, h } = slotSize(zone)
  const level = zones.filter((z) => z.rect[1] < zy + zh && zy < z.rect[1] + z.rect[3])
  const inLine = zones.filter((z) => z.rect[0] < zx + zw && zx < z.rect[0] + z.rect[2])
  const right = Math.max(...level.map((z) => z.rect[0] + z.rect[2])) + g
  const below = Math.max(...inLine.map((z) => z.rect[1] + z.rect[3])) + g
  const rows = Math.max(1, Math.floor(zh / (h + g)))
  const columns = Math.max(1, Math.floor((zw - g) / (w + g)))
  const spots: { rect: Rect; away: number }[] = []
  const add = (x: number, y: number): void => {
    const dx = x + w / 2 - (zx + zw / 2)
    const dy = y + h / 2 - (zy + zh / 2)
    spots.push({ rect: [x, y, w, h], away: dx * dx + dy * dy })
  }
  for (let column = 0; column < BESIDE_STEPS; column++) for (let row = 0; row < rows; row++) add(right + column * (w + g), zy + row * (h + g))
  for (let row = 0; row < BESIDE_STEPS; row++) for (let column = 0; column < columns; column++) add(zx + g + column * (w + g), below + row * (h + g))
  // Stable: equally near spots keep the order they were listed in.
  spots.sort((a, b) => a.away - b.away)
  return spots.map((spot, index) => ({ rect: spot.rect, index }))
}

/** Spots around a point outside the zones, nearest first, the first one centred on it. */
function aroundPoint(at: readonly [number, number]): Candidate[] {
  const { w, h } = NOTE_SIZE
  const g = PLACEMENT_GAP
  const spots: { rect: Rect; away: number }[] = []
  for (let j = -AROUND_STEPS; j <= AROUND_STEPS; j++) {
    for (let i = -AROUND_STEPS; i <= AROUND_STEPS; i++) {
      const dx = i * (w + g)
      const dy = j * (h + g)
      spots.push({ rect: [at[0] - w / 2 + dx, at[1] - h / 2 + dy, w, h], away: dx * dx + dy * dy })
    }
  }
  spots.sort((a, b) => a.away - b.away)
  return spots.map((spot, index) => ({ rect: spot.rect, index }))
}

/** The first free spot in lines below the zones, left-aligned with them (from 0, 0 without zones). */
function belowBoard(zones: readonly PlacementZone[], notes: readonly Rect[]): Rect {
  const { w, h } = NOTE_SIZE
  const g = PLACEMENT_GAP
  const left = zones.length ? Math.min(...zones.map((z) => z.rect[0])) : 0
  const top = zones.length ? Math.max(...zones.map((z) => z.rect[1] + z.rect[3])) + 4 * g : 0
  for (let i = 0; ; i++) {
    const rect: Rect = [left + (i % LINE_LENGTH) * (w + g), top + Math.floor(i / LINE_LENGTH) * (h + g), w, h]
    if (!notes.some((n) => intersects(rect, n))) return rect
  }
}

/** The first free candidate of this person's lane, else a free one (shifted by lane). */
function pick(candidates: readonly Candidate[], free: (rect: Rect) => boolean, lane: Lane): Rect | null {
  const lanes = Math.max(1, Math.min(lane.count, candidates.length))
  const own = lane.index % lanes
  const open: Candidate[] = []
  for (const candidate of candidates) {
    if (!free(candidate.rect)) continue
    if (candidate.index % lanes === own) return candidate.rect
    open.push(candidate)
  }
  return open[lane.index % open.length]?.rect ?? null
}

function isOpen(rect: Rect, notes: readonly Rect[], zones: readonly PlacementZone[]): boolean {
  return !zones.some((z) => intersects(rect, z.rect)) && !notes.some((n) => intersects(rect, n))
}

function coversInnerZone(rect: Rect, zone: PlacementZone, zones: readonly PlacementZone[]): boolean {
  return zones.some((z) => z !== zone && intersects(rect, z.rect) && !encloses(z.rect, zone.rect))
}

function encloses(outer: Rect, inner: Rect): boolean {
  return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[0] + outer[2] >= inner[0] + inner[2] && outer[1] + outer[3] >= inner[1] + inner[3]
}

function headerOf(zone: PlacementZone): number {
  return zone.hint ? HEADER_WITH_HINT : HEADER
}

function distanceTo([x, y, w, h]: Rect, px: number, py: number): number {
  return Math.hypot(Math.max(x - px, 0, px - x - w), Math.max(y - py, 0, py - y - h))
}
