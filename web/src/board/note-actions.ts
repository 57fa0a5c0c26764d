/** What the canvas's pointer and keyboard input may ask of the board; the board session answers, checking the role and limits. */
import type { Rect } from './geometry'

export interface NoteActions {
  canWrite(): boolean
  /** Creates a note centred on a board point and returns its id (null: not allowed or full). */
  createNoteAt(x: number, y: number): string | null
  moveNotes(rects: Map<string, Rect>): void
  deleteNotes(ids: string[]): void
  undo(): void
  redo(): void
}
