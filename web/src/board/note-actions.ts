/** What the canvas's pointer and keyboard input may ask of the board; the board session answers, checking the role, the notes one may change and the limits. */
import type { Rect } from './geometry'
import type { PaletteName } from './model'

/** A note to create from a copy or a pasted line: `rect` null lets the placement rule choose its place. */
export interface NoteCopy {
  text: string
  color: PaletteName | null
  rect: Rect | null
  /** A duplicate of an image note names the same picture. */
  imageId?: string
}

/** Where notes were dropped: on a note, or on a group's card (folded, or without notes). */
export type DropTarget = { note: string } | { group: string }

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
  /**
   * Creates notes in this person's name, one undo step; those without a rectangle go in free
   * slots of the zone at `at` (`pointer`: the person pointed there). Returns the new ids ([]:
   * refused, and the person told). `color` null: the person's note colour.
   */
  createNotes(copies: readonly NoteCopy[], at: readonly [number, number], pointer: boolean): string[]
  /** A picture pasted or dropped at a board point: sent to the server, then an image note there (`pointer`: the person chose the spot). */
  addImage(file: Blob, at: readonly [number, number], pointer: boolean): void
  /** Asks the person before many notes are made from pasted text. */
  confirmLines(count: number): boolean
  undo(): void
  redo(): void
  /** The notes of a group, to drag it by its title. */
  groupMembers(groupId: string): string[]
  /**
   * After a drag of notes (not of a group by its title; `from`: their rectangles before it):
   * dropped on the note `onto`, they join its group, or make a new one with it (its id is
   * returned, to be named); on a group's card, they join that group; dropped elsewhere, those whose centre is now outside their group's
   * frame as it was drawn during the drag leave it, unless the whole group moved. Only the notes
   * one may change are changed.
   */
  regroupDropped(from: ReadonlyMap<string, Rect>, onto: DropTarget | null): string | null
}
