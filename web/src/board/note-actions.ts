/** What the canvas's pointer and keyboard input may ask of the board; the board session answers, checking the role, the notes one may change and the limits. */
import type { Rect } from './geometry'

export interface NoteActions {
  canWrite(): boolean
  /** Whether this person may change this note (move, resize, edit, recolour, delete it). */
  mayChange(id: string): boolean
  /** Tells the person, politely, that a note they tried to change is not theirs to change. */
  refuseChange(): void
  /**
   * Creates a note for the zone at a board point, in a free slot of it (board/placement.ts), and
   * returns its id (null: not allowed or full). `pointer`: the person pointed at that spot (a
   * double-click): the slot nearest to it, whatever the person's lane.
   */
  createNoteAt(x: number, y: number, pointer?: boolean): string | null
  /** Moves the notes one may change; the others stay, and the person is told why. */
  moveNotes(rects: Map<string, Rect>): void
  /** Deletes the notes one may change; the others stay, and the person is told why. */
  deleteNotes(ids: string[]): void
  undo(): void
  redo(): void
  /** These notes and every note in the same groups (themes): a group moves as one. */
  withGroupMates(ids: Iterable<string>): string[]
  /** The notes of a group, to drag it by its title. */
  groupMembers(groupId: string): string[]
}
