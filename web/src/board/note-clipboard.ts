/**
 * Copying notes: what goes to the clipboard, and where copied notes land when pasted or
 * duplicated. Pure functions; the keyboard (board-keys.ts) and the session do the rest.
 */
// The system clipboard gets the notes' texts as plain text (other tools read them) and the notes
// themselves under NOTES_FORMAT; the same payload is kept in localStorage (lib/storage.ts), so
// that a browser which drops our format still pastes whole notes into its other boards.
import { type Rect, bounds, isRect } from './geometry'
import { type PaletteName, isPaletteName } from './model'

export const NOTES_FORMAT = 'application/x-ardoise-notes'
/** How far a duplicate (Ctrl+D) or a paste without a pointer lands from the original. */
export const COPY_OFFSET = 24
/** More lines of pasted text than this: the person is asked first. */
export const MANY_LINES = 20

export interface CopiedNote {
  text: string
  color: PaletteName
  rect: Rect
  /** An image note's picture, kept by a duplicate on the same board (a pasted copy is text: the picture is this board's). */
  imageId?: string
}

export interface CopiedNotes {
  /** The plain text that went to the clipboard with them: a paste of this text is a paste of these notes. */
  text: string
  notes: CopiedNote[]
}

/** The clipboard payload of some notes, in reading order (top to bottom, left to right). */
export function copyNotes(notes: readonly CopiedNote[]): CopiedNotes {
  const sorted = [...notes].sort((a, b) => a.rect[1] - b.rect[1] || a.rect[0] - b.rect[0])
  return {
    text: sorted.map((note) => note.text).join('\n'),
    notes: sorted.map(({ text, color, rect }) => ({ text, color, rect: [...rect] })),
  }
}

/** A payload read back from the clipboard or storage, or null when it is not one of ours (never trusted). */
export function readCopiedNotes(raw: string | null | undefined): CopiedNotes | null {
  if (!raw) return null
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { text, notes } = value as { text?: unknown; notes?: unknown }
  if (typeof text !== 'string' || !Array.isArray(notes)) return null
  const read: CopiedNote[] = []
  for (const note of notes) {
    const { text: noteText, color, rect } = (note ?? {}) as Record<string, unknown>
    if (typeof noteText !== 'string' || !isPaletteName(color) || !isRect(rect)) return null
    read.push({ text: noteText, color, rect: [rect[0], rect[1], rect[2], rect[3]] })
  }
  return read.length > 0 ? { text, notes: read } : null
}

/**
 * Where copied notes land: kept in their arrangement, the group's top left at `at` (the pointer),
 * or `COPY_OFFSET` right and down from where they were when there is no pointer.
 */
export function pastedRects(notes: readonly CopiedNote[], at: readonly [number, number] | null): Rect[] {
  const box = bounds(notes.map((note) => note.rect))
  if (!box) return []
  const dx = at ? Math.round(at[0] - box[0]) : COPY_OFFSET
  const dy = at ? Math.round(at[1] - box[1]) : COPY_OFFSET
  return notes.map(({ rect: [x, y, w, h] }) => [x + dx, y + dy, w, h])
}

/** Plain text pasted from elsewhere: one note per non-empty line, spaces around each line trimmed. */
export function textLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.trim()).filter((line) => line.length > 0)
}
