/** What a person does to notes (create, add an idea, move, recolour, delete, undo), checked against the role, the lock, who may change which note, and the board's limits. */
import { t } from '../i18n'
import { NOTE_SIZE, type Rect, placeInZone, placeNear, zoneOf } from '../board/geometry'
import type { PaletteName } from '../board/model'
import type { NoteActions } from '../board/note-actions'
import type { Direction } from '../board/undo'
import type { BoardSession } from './board-session'
import { mayReplay } from './note-rights'

export class NoteCommands implements NoteActions {
  constructor(private readonly session: BoardSession) {}

  canWrite(): boolean {
    return this.session.canWrite()
  }

  mayChange(id: string): boolean {
    const note = this.session.model.get(id)
    return note !== null && this.session.mayChangeNote(note)
  }

  refuseChange(): void {
    this.session.notify(t('notes.notYours'))
  }

  createNoteAt(x: number, y: number): string | null {
    return this.create([x - NOTE_SIZE.w / 2, y - NOTE_SIZE.h / 2, NOTE_SIZE.w, NOTE_SIZE.h], this.session.color)
  }

  /** A new note by this person, its text cut to the board's limit; null (and a notice) when refused. */
  create(rect: Rect, color: PaletteName, text = ''): string | null {
    const { session } = this
    const { maxNotes, maxNoteChars } = session.limits
    if (!session.canWrite()) {
      session.notify(t(session.meta.locked ? 'lock.readOnly' : 'role.readOnly'))
      return null
    }
    if (session.model.size >= maxNotes) {
      session.notify(t('limit.notes', { max: maxNotes }), 'error')
      return null
    }
    session.undo.stopCapturing()
    return session.model.create({
      rect, color, text: text.slice(0, maxNoteChars), author: session.name, authorId: session.participantId, createdAt: session.clock.now(),
    })
  }

  /**
   * An idea from the "Ajouter une idée" form: in a free slot of its zone, or below everything when
   * it has none. Returns the title of the zone it landed in ('' for none), or null if refused.
   */
  addIdea(text: string, color: PaletteName, zoneId: string | null, occupied: readonly Rect[]): string | null {
    const { zones, limits } = this.session
    const zone = zones.find((z) => z.id === zoneId) ?? null
    let rect: Rect
    if (zone) {
      rect = placeInZone(zone.rect, occupied)
    } else {
      const all = [...zones.map((z) => z.rect), ...occupied]
      const bottom = all.length ? Math.max(...all.map((r) => r[1] + r[3])) + 40 : 40
      const left = all.length ? Math.min(...all.map((r) => r[0])) : 40
      rect = placeNear(left, zones.length ? bottom : 40, occupied)
    }
    const id = this.create(rect, color, text)
    if (!id) return null
    if (text.length > limits.maxNoteChars) this.textLimit()
    const landed = zoneOf(rect, zones)
    return landed ? landed.title || landed.id : ''
  }

  moveNotes(rects: Map<string, Rect>): void {
    if (!this.session.canWrite()) return
    const ids = this.changeable(rects.keys())
    if (ids.length > 0) this.session.model.setRects(new Map(ids.map((id) => [id, rects.get(id) as Rect])))
  }

  recolor(ids: ReadonlySet<string>, color: PaletteName): void {
    if (ids.size === 0 || !this.session.canWrite()) return
    const changeable = this.changeable(ids)
    if (changeable.length > 0) this.session.model.setColor(changeable, color)
  }

  deleteNotes(ids: string[]): void {
    const { session } = this
    if (!session.canWrite() || ids.length === 0) return
    const changeable = this.changeable(ids)
    if (changeable.length === 0) return
    // The server recreates a note only in its writer's name: deleting someone else's note cannot
    // be undone here, and the notice does not promise it.
    const others = changeable.some((id) => session.model.get(id)?.authorId !== session.participantId)
    session.undo.stopCapturing()
    session.model.delete(changeable)
    session.notify(t(others ? 'notes.deletedOthers' : 'notes.deleted', { count: changeable.length }))
  }

  /** An edit ended: the next keystrokes are a new undo step, and a new note left empty goes (no undo step). */
  editEnded(id: string, isNew: boolean): void {
    const { session } = this
    session.undo.stopCapturing()
    // On a locked board (an edit kept open through the lock's grace) the deletion would be refused.
    if (isNew && session.model.text(id)?.length === 0 && session.canWrite()) session.model.delete([id], null)
  }

  /** Typing went past the board's limit on a note's length. */
  textLimit(): void {
    this.session.notify(t('limit.chars', { max: this.session.limits.maxNoteChars }))
  }

  undo(): void {
    this.replay('undo')
  }

  redo(): void {
    this.replay('redo')
  }

  /**
   * Undoes or redoes the next step, unless it touches a note this person may not change now, or
   * would recreate someone else's: that step is dropped (it could never be replayed while the
   * rule holds, and it would block every step before it) and the person told.
   */
  private replay(direction: Direction): void {
    const { session } = this
    if (!session.canWrite()) return
    const step = session.undo.next(direction, (id) => session.model.get(id) !== null)
    if (!step) return
    if (!mayReplay(session.rights, step, (id) => session.model.get(id))) {
      session.undo.drop(direction)
      session.notify(t(direction === 'undo' ? 'undo.notYours' : 'redo.notYours'))
      return
    }
    if (direction === 'undo') session.undo.undo()
    else session.undo.redo()
  }

  /** The notes among `ids` this person may change; when some are not, they are told why (once). */
  private changeable(ids: Iterable<string>): string[] {
    const { session } = this
    const changeable: string[] = []
    let refused = false
    for (const id of ids) {
      const note = session.model.get(id)
      if (!note) continue
      if (session.mayChangeNote(note)) changeable.push(id)
      else refused = true
    }
    if (refused) this.refuseChange()
    return changeable
  }
}
