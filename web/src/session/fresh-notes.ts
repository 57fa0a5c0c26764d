/**
 * Two people adding a note at the same moment may pick the same free slot: each keeps to its lane
 * (board/placement.ts), but the lanes come from presence, which takes a moment to settle. So a
 * note this person just placed gives way when another person's note lands on it: the later of
 * the two (by creation time, then id) moves to the next free slot. Both clients decide alike, so
 * exactly one moves, and each moves only its own note.
 */
import { type Rect, intersects } from '../board/geometry'
import type { NoteData } from '../board/model'

/** How long a note placed by the rule may still give way (and be moved for it). */
export const FRESH_MS = 10_000

type Placed = Pick<NoteData, 'id' | 'rect' | 'createdAt' | 'private'>

/** The ids of `mine` (notes this person just placed) that give way to `arrived` (others' notes). */
export function givingWay(mine: readonly Placed[], arrived: readonly Placed[]): string[] {
  return mine
    .filter((own) => arrived.some((other) => other.id !== own.id && intersects(own.rect, other.rect) && yields(own, other)))
    .map((own) => own.id)
}

/** A private note is not seen by the others, who cannot give way to it: it always moves. */
function yields(own: Placed, other: Placed): boolean {
  if (own.private) return true
  if (own.createdAt !== other.createdAt) return own.createdAt > other.createdAt
  return own.id > other.id
}

/** The notes this person placed by the rule in the last FRESH_MS, where the rule put them. */
export class FreshNotes {
  private readonly placed = new Map<string, { rect: Rect; until: number }>()

  constructor(private readonly now: () => number = () => Date.now()) {}

  remember(id: string, rect: Rect): void {
    this.placed.set(id, { rect: [...rect] as Rect, until: this.now() + FRESH_MS })
  }

  has(id: string): boolean {
    return this.placed.has(id)
  }

  get size(): number {
    return this.placed.size
  }

  /** Those still fresh and still where they were put (a note the person moved stays where it is). */
  current(read: (id: string) => NoteData | null): NoteData[] {
    const now = this.now()
    const found: NoteData[] = []
    for (const [id, entry] of this.placed) {
      const note = read(id)
      if (!note || now > entry.until || !sameRect(note.rect, entry.rect)) this.placed.delete(id)
      else found.push(note)
    }
    return found
  }
}

function sameRect(a: Rect, b: Rect): boolean {
  return a.every((v, i) => Math.round(v) === Math.round(b[i] as number))
}
