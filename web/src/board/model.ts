/** The board documents as the application reads and writes them (docs/board-schema.md): notes, zones and meta. */
// Notes are written in the documented shape (`rect` one array value, `text` a Y.Text, palette
// names); every local write uses the LOCAL origin, which undo tracks.
import * as Y from 'yjs'
import { type Rect, isRect } from './geometry'

export const PALETTE = ['yellow', 'orange', 'pink', 'red', 'green', 'blue', 'purple', 'grey'] as const
export type PaletteName = (typeof PALETTE)[number]

/** Origin of this person's own edits: the undo manager tracks these and nothing else. */
export const LOCAL = Symbol('local')

export interface NoteData {
  id: string
  text: string
  rect: Rect
  color: PaletteName
  author: string
  authorId: string
  createdAt: number
  z: number
  /** In this person's private document (a private writing phase), not on the shared board yet. */
  private?: boolean
  /** An image note's picture, as the server named it (docs/board-schema.md, Image notes); its text is the caption. */
  imageId?: string
}

/** The server's image ids: 22 URL-safe characters (the server refuses any other `imageId`). */
export function isImageId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{22}$/.test(value)
}

export interface Zone {
  id: string
  title: string
  hint: string
  rect: Rect
  color: PaletteName | ''
  order: number
  row: string
  col: string
}

export interface BoardMeta {
  title: string
  /** What this board's people work on (a workshop table's question); plain text, may be empty. */
  question: string
  /** The workshop round running on this table (`meta.round`), or null. */
  round: BoardRound | null
  /** The lead facilitator's last message to every table (`meta.broadcast`), or null. */
  broadcast: { text: string; at: number } | null
  locked: boolean
  anonymous: boolean
  /** Participants may change notes others wrote too (by default each changes only their own). */
  editOthersNotes: boolean
  /** What each colour means on this board (`meta.legend`); colours without a label are absent. */
  legend: Legend
}

export interface BoardRound {
  index: number
  label: string
  prompt: string
}

function readRound(raw: unknown): BoardRound | null {
  const source: unknown = raw instanceof Y.Map ? raw.toJSON() : raw
  if (typeof source !== 'object' || source === null) return null
  const { index, label, prompt } = source as Record<string, unknown>
  if (typeof index !== 'number' || typeof label !== 'string') return null
  return { index, label, prompt: typeof prompt === 'string' ? prompt : '' }
}

function readBroadcast(raw: unknown): { text: string; at: number } | null {
  const source: unknown = raw instanceof Y.Map ? raw.toJSON() : raw
  if (typeof source !== 'object' || source === null) return null
  const { text, at } = source as Record<string, unknown>
  return typeof text === 'string' && text && typeof at === 'number' ? { text, at } : null
}

/** A legend label names a meaning ("idée", "frein"), not a paragraph: the server's readers cut at the same length. */
export const MAX_LEGEND_CHARS = 60

export type Legend = Partial<Record<PaletteName, string>>

/** `meta.legend` (a Y.Map, or a plain object): palette names only, blanks collapsed, cut at MAX_LEGEND_CHARS. */
export function readLegend(raw: unknown): Legend {
  const source: unknown = raw instanceof Y.Map ? raw.toJSON() : raw
  const legend: Legend = {}
  if (typeof source !== 'object' || source === null) return legend
  for (const color of PALETTE) {
    const value: unknown = (source as Record<string, unknown>)[color]
    if (typeof value !== 'string') continue
    const label = cutLabel(value.split(/\s+/).filter(Boolean).join(' '))
    if (label) legend[color] = label
  }
  return legend
}

/** At most MAX_LEGEND_CHARS UTF-16 units, never half of a surrogate pair (an emoji). */
export function cutLabel(value: string): string {
  const kept = value.slice(0, MAX_LEGEND_CHARS)
  return (/[\ud800-\udbff]$/.test(kept) ? kept.slice(0, -1) : kept).trim()
}

/** A facilitator names (or, with an empty label, unnames) what a colour means; other colours' labels are kept. */
export function setLegendLabel(layout: Y.Doc, color: PaletteName, label: string): void {
  const text = cutLabel(label.split(/\s+/).filter(Boolean).join(' '))
  layout.transact(() => {
    const meta = layout.getMap('meta')
    let legend = meta.get('legend')
    if (!(legend instanceof Y.Map)) {
      // A plain object (another client's) or nothing: made a map, keeping its labels.
      const kept = readLegend(legend)
      legend = new Y.Map<string>()
      meta.set('legend', legend)
      for (const [name, value] of Object.entries(kept)) (legend as Y.Map<string>).set(name, value)
    }
    const map = legend as Y.Map<string>
    if (text) map.set(color, text)
    else if (map.has(color)) map.delete(color)
  }, LOCAL)
}

export function isPaletteName(value: unknown): value is PaletteName {
  return typeof value === 'string' && (PALETTE as readonly string[]).includes(value)
}

export function newId(length = 12): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '')
const num = (value: unknown, fallback = 0): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback

export function readMeta(layout: Y.Doc): BoardMeta {
  const meta = layout.getMap('meta')
  return {
    title: str(meta.get('title')),
    question: str(meta.get('question')),
    round: readRound(meta.get('round')),
    broadcast: readBroadcast(meta.get('broadcast')),
    locked: meta.get('locked') === true,
    anonymous: meta.get('anonymous') === true,
    editOthersNotes: meta.get('editOthersNotes') === true,
    legend: readLegend(meta.get('legend')),
  }
}

export function setLocked(layout: Y.Doc, locked: boolean): void {
  layout.transact(() => layout.getMap('meta').set('locked', locked), LOCAL)
}

/** Lets participants change every note (true) or only their own (false); the server enforces it. */
export function setEditOthersNotes(layout: Y.Doc, allowed: boolean): void {
  layout.transact(() => layout.getMap('meta').set('editOthersNotes', allowed), LOCAL)
}

/** Zones in reading order; malformed entries (no rectangle) are skipped, unknown keys ignored. */
export function readZones(layout: Y.Doc): Zone[] {
  const zones: Zone[] = []
  for (const [id, raw] of layout.getMap('zones').entries()) {
    if (!(raw instanceof Y.Map)) continue
    const rect = raw.get('rect')
    if (!isRect(rect)) continue
    const color = raw.get('color')
    zones.push({
      id,
      title: str(raw.get('title')),
      hint: str(raw.get('hint')),
      rect: [...rect],
      color: isPaletteName(color) ? color : '',
      order: num(raw.get('order')),
      row: str(raw.get('row')),
      col: str(raw.get('col')),
    })
  }
  return zones.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
}

export interface NewNote {
  rect: Rect
  color: PaletteName
  text?: string
  author: string
  authorId: string
  createdAt: number
  imageId?: string
}

/** The `notes` document: one Y.Map per note under the root map `notes`. */
export class NotesModel {
  readonly map: Y.Map<Y.Map<unknown>>
  private maxZ = 0

  constructor(readonly doc: Y.Doc) {
    this.map = doc.getMap('notes') as Y.Map<Y.Map<unknown>>
    for (const note of this.map.values()) this.maxZ = Math.max(this.maxZ, num(note instanceof Y.Map ? note.get('z') : 0))
  }

  get size(): number {
    return this.map.size
  }

  ids(): string[] {
    return [...this.map.keys()]
  }

  get(id: string): NoteData | null {
    const note = this.map.get(id)
    if (!(note instanceof Y.Map)) return null
    const rect = note.get('rect')
    if (!isRect(rect)) return null
    const text = note.get('text')
    const color = note.get('color')
    const z = num(note.get('z'))
    if (z > this.maxZ) this.maxZ = z
    const imageId = note.get('imageId')
    return {
      id,
      text: text instanceof Y.Text ? text.toString() : str(text),
      rect: [...rect],
      color: isPaletteName(color) ? color : 'yellow',
      author: str(note.get('author')),
      authorId: str(note.get('authorId')),
      createdAt: num(note.get('createdAt')),
      z,
      ...(isImageId(imageId) ? { imageId } : {}),
    }
  }

  all(): NoteData[] {
    const notes: NoteData[] = []
    for (const id of this.map.keys()) {
      const note = this.get(id)
      if (note) notes.push(note)
    }
    return notes
  }

  text(id: string): Y.Text | null {
    const text = this.map.get(id)?.get('text')
    return text instanceof Y.Text ? text : null
  }

  /** `id`: one chosen beforehand (a note written in a form, announced in presence while written). */
  create(note: NewNote, id = newId()): string {
    this.doc.transact(() => {
      const entry = new Y.Map<unknown>()
      this.map.set(id, entry)
      entry.set('text', new Y.Text(note.text ?? ''))
      entry.set('rect', note.rect.map(round))
      entry.set('color', note.color)
      entry.set('authorId', note.authorId)
      entry.set('author', note.author)
      entry.set('createdAt', note.createdAt)
      entry.set('z', ++this.maxZ)
      if (note.imageId) entry.set('imageId', note.imageId)
    }, LOCAL)
    return id
  }

  /**
   * Moves and resizes: one overwrite of `rect` per note, all in one transaction (one undo step;
   * `origin` null: none, a new note giving way to another's, session/fresh-notes.ts).
   */
  setRects(rects: ReadonlyMap<string, Rect>, origin: unknown = LOCAL): void {
    this.doc.transact(() => {
      for (const [id, rect] of rects) {
        const note = this.map.get(id)
        if (note instanceof Y.Map) note.set('rect', rect.map(round))
      }
    }, origin)
  }

  setColor(ids: Iterable<string>, color: PaletteName): void {
    this.doc.transact(() => {
      for (const id of ids) {
        const note = this.map.get(id)
        if (note instanceof Y.Map && note.get('color') !== color) note.set('color', color)
      }
    }, LOCAL)
  }

  /** `origin` null: a removal that is no undo step (an empty new note closed unused). */
  delete(ids: Iterable<string>, origin: unknown = LOCAL): void {
    this.doc.transact(() => {
      for (const id of ids) this.map.delete(id)
    }, origin)
  }

  /**
   * Calls back with the ids of notes that changed (created, deleted, moved, recoloured, or text
   * edited): the canvas re-renders only those.
   */
  observe(listener: (ids: Set<string>, transaction: Y.Transaction) => void): () => void {
    const handler = (events: Array<Y.YEvent<any>>, transaction: Y.Transaction): void => {
      const ids = new Set<string>()
      for (const event of events) {
        if (event.target === this.map && event instanceof Y.YMapEvent) {
          for (const key of event.keysChanged) ids.add(String(key))
        } else {
          const first = event.path[0]
          if (typeof first === 'string') ids.add(first)
        }
      }
      if (ids.size > 0) listener(ids, transaction)
    }
    this.map.observeDeep(handler)
    return () => this.map.unobserveDeep(handler)
  }
}

function round(value: number): number {
  return Math.round(value)
}
