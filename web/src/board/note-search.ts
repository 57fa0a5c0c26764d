/** Finding notes by what they say, who wrote them, their colour or their zone (the search field, issue 23). Pure functions. */
import type { Rect } from './geometry'

/** What a note is found by, in words the person reads (colour and zone names in their language). */
export interface SearchableNote {
  id: string
  text: string
  /** '' when the board is anonymous: an author's name must not find their notes then. */
  author: string
  /** The colour's name in the person's language, and its palette name ("vert", "green"). */
  colorNames: readonly string[]
  zone: string
  rect: Rect
}

/** Lower case without accents: "Été" finds "ete", "éte" and "ÉTÉ". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/**
 * The ids of the notes matching every word of `query` (each word in the text, the author, a
 * colour name or the zone), in reading order: top to bottom, then left to right. An empty query
 * finds nothing.
 */
export function searchNotes(notes: readonly SearchableNote[], query: string): string[] {
  const words = fold(query).split(/\s+/).filter((word) => word.length > 0)
  if (words.length === 0) return []
  const found = notes.filter((note) => {
    const fields = [note.text, note.author, note.zone, ...note.colorNames].map(fold)
    return words.every((word) => fields.some((field) => field.includes(word)))
  })
  return found.sort((a, b) => a.rect[1] - b.rect[1] || a.rect[0] - b.rect[0]).map((note) => note.id)
}

/** The next (or previous) found note after `current`, wrapping round; null when nothing is found. */
export function nextFound(found: readonly string[], current: string | null, backwards = false): string | null {
  if (found.length === 0) return null
  const index = current === null ? -1 : found.indexOf(current)
  if (index === -1) return backwards ? (found[found.length - 1] ?? null) : (found[0] ?? null)
  const step = backwards ? -1 : 1
  return found[(index + step + found.length) % found.length] ?? null
}
