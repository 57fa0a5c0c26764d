/** What a person does to notes (create, add an idea, move, recolour, delete, undo), checked against the role, the lock, who may change which note, and the board's limits. */
import { t } from '../i18n'
import { type Rect, bounds, intersects, zoneOf } from '../board/geometry'
import { groupFrame } from '../board/groups-layer'
import { errorKey, imageRefusalKey } from '../i18n/error-words'
import { type SentImage, sendImage } from '../api/images'
import { type PlacementRequest, placeNote } from '../board/placement'
import { LOCAL, type NoteData, type PaletteName, type Zone } from '../board/model'
import type { DropTarget, NoteActions, NoteCopy } from '../board/note-actions'
import type { Direction } from '../board/undo'
import type { BoardSession } from './board-session'
import { FreshNotes, givingWay } from './fresh-notes'
import { mayReplay } from './note-rights'
import { Role } from '../sync/protocol'

// An image note's picture is at most this many board units a side in a slot of the usual size.
const PICTURE_SIDE = 240
const USUAL_WIDTH = 180
// Room around the picture in the note: its padding and the author's line (styles.css, .note).
const PICTURE_MARGIN_X = 24
const PICTURE_MARGIN_Y = 38
// Slots tried for an image note before it is left where the last one put it.
const MAX_IMAGE_TRIES = 40

/** An image note at the slot's place, the picture's proportions kept (smaller in a zone of small slots). */
export function imageRect(slot: Rect, picture: Pick<SentImage, 'width' | 'height'>): Rect {
  const side = PICTURE_SIDE * Math.min(1, slot[2] / USUAL_WIDTH)
  const scale = side / Math.max(picture.width, picture.height, 1)
  const width = Math.max(1, picture.width * scale)
  const height = Math.max(1, picture.height * scale)
  return [slot[0], slot[1], Math.round(width + PICTURE_MARGIN_X), Math.round(height + PICTURE_MARGIN_Y)]
}

/** Where an idea landed: its zone's title ('' for none); `fullZone`: the title of the zone chosen, when it was full and the idea went beside it. */
export interface IdeaLanding {
  zone: string
  fullZone: string
}

/** The note an "Ajouter une idée" form is writing: its id, announced in presence (`editing`) while written. */
export interface IdeaDraft {
  id: string
  /** The board was locked while it was written: sent within the lock's grace. */
  inGrace: boolean
}

export class NoteCommands implements NoteActions {
  /** This person's notes just placed by the rule: one gives way when another's lands on it. */
  private readonly fresh = new FreshNotes()

  constructor(private readonly session: BoardSession) {
    session.on('notes', (ids) => this.giveWay(ids))
  }

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

  /** A new note for the zone at a point (the pointer, the view's centre), in a free slot of it. */
  createNoteAt(x: number, y: number, pointer = false): string | null {
    const rect = this.place({ at: [x, y] }, !pointer)
    return this.remember(this.create(rect, this.session.color), rect)
  }

  /**
   * A new note by this person, its text cut to the board's limit; null (and a notice) when refused.
   * `draft`: the note a form was writing, under the id its presence announced; `inGrace`: the board
   * was locked meanwhile, and the server still takes that one note (docs/protocol.md section 7.1).
   */
  create(rect: Rect, color: PaletteName, text = '', draft?: IdeaDraft): string | null {
    if (!this.mayAdd(1, draft?.inGrace ?? false)) return null
    this.session.undo.stopCapturing()
    return this.write(rect, color, text, draft?.id)
  }

  /**
   * Copies, duplicates and pasted lines: all in this person's name (the server takes a new note
   * only in its writer's name), one undo step, each without a rectangle placed by the placement
   * rule seeing the ones placed before it.
   */
  createNotes(copies: readonly NoteCopy[], at: readonly [number, number], pointer: boolean): string[] {
    if (copies.length === 0 || !this.mayAdd(copies.length)) return []
    this.session.undo.stopCapturing()
    const ids: string[] = []
    for (const copy of copies) {
      const rect = copy.rect ?? this.place({ at }, !pointer)
      const id = this.write(rect, copy.color ?? this.session.color, copy.text, undefined, copy.imageId)
      if (!copy.rect) this.remember(id, rect)
      ids.push(id)
    }
    this.session.undo.stopCapturing()
    return ids
  }

  confirmLines(count: number): boolean {
    return window.confirm(t('paste.confirmLines', { count }))
  }

  /** Whether `count` new notes may be added now; if not, the person is told why. */
  private mayAdd(count: number, inGrace = false): boolean {
    const { session } = this
    const { maxNotes } = session.limits
    if (!session.canWrite() && !(inGrace && session.role === Role.PARTICIPANT)) {
      session.notify(t(session.meta.locked ? 'lock.readOnly' : 'role.readOnly'))
      return false
    }
    if (session.model.size + count > maxNotes) {
      session.notify(t('limit.notes', { max: maxNotes }), 'error')
      return false
    }
    return true
  }

  private write(rect: Rect, color: PaletteName, text: string, id?: string, imageId?: string): string {
    const { session } = this
    return session.model.create({
      rect, color, text: text.slice(0, session.limits.maxNoteChars), author: session.name, authorId: session.participantId, createdAt: session.clock.now(),
      ...(imageId ? { imageId } : {}),
    }, id)
  }

  /** A picture pasted or dropped on the canvas: an image note at that point (`pointer`: the person chose the spot). */
  addImage(file: Blob, at: readonly [number, number], pointer: boolean): void {
    void this.addImageNote(file, { at, inLane: !pointer })
  }

  /**
   * Sends the picture, then writes an image note naming it (docs/board-schema.md, Image notes),
   * with `caption` as its text, where the placement rule puts a note for `where`; the note's id, or
   * null (and the person told why).
   */
  async addImageNote(
    file: Blob,
    where: { at?: readonly [number, number]; zoneId?: string | null; inLane?: boolean },
    caption = '',
    color: PaletteName = this.session.color,
  ): Promise<string | null> {
    const { session } = this
    if (file.type && !file.type.startsWith('image/')) {
      session.notify(t('image.notImage'), 'error')
      return null
    }
    if (!this.mayAdd(1)) return null
    const sent = await sendImage(session.boardId, session.token, file)
    if (!sent.ok) {
      const { code } = sent.error
      session.notify(t(imageRefusalKey(code), { reason: t(errorKey(code)) }), 'error')
      return null
    }
    // The board may have changed while the picture travelled: asked again.
    if (!this.mayAdd(1)) return null
    const request: Pick<PlacementRequest, 'zoneId' | 'at'> = {}
    if (where.at) request.at = where.at
    if (where.zoneId !== undefined) request.zoneId = where.zoneId
    const rect = this.placeImage(request, where.inLane ?? true, sent.value)
    session.undo.stopCapturing()
    const id = this.remember(this.write(rect, color, caption, undefined, sent.value.id), rect)
    session.undo.stopCapturing()
    return id
  }

  /**
   * An idea from the "Ajouter une idée" form: in a free slot of its zone (beside it when it is
   * full), or below the zones when it has none; null if refused. Zones are named as the zone list
   * names them: in a grid, a cell is its row and its column ("Santé · 1 mois").
   */
  addIdea(text: string, color: PaletteName, zoneId: string | null, draft?: IdeaDraft): IdeaLanding | null {
    const { zones, limits } = this.session
    const rect = this.place({ zoneId })
    const id = this.remember(this.create(rect, color, text, draft), rect)
    if (!id) return null
    if (text.length > limits.maxNoteChars) this.textLimit(text.length - limits.maxNoteChars)
    const title = (zone: Zone | null): string => (zone ? zoneName(zone) : '')
    const landed = zoneOf(rect, zones)
    const chosen = zones.find((z) => z.id === zoneId) ?? null
    return { zone: title(landed), fullZone: chosen && landed !== chosen ? title(chosen) : '' }
  }

  /** Where a new note goes (docs/board-schema.md, "Where a new note goes"), seeing every note this person sees, private ones too (but `except`). */
  private place(request: Pick<PlacementRequest, 'zoneId' | 'at'>, inLane = true, except: string | null = null, taken: readonly Rect[] = []): Rect {
    const { session } = this
    const notes = [...session.model.all().filter((n) => n.id !== except).map((n) => n.rect), ...taken]
    return placeNote({ ...request, zones: session.zones, notes, ...(inLane ? { lane: session.placementLane() } : {}) })
  }

  private remember(id: string | null, rect: Rect): string | null {
    if (id) this.fresh.remember(id, rect)
    return id
  }

  /**
   * Others' notes changed: a note this person just placed that one of them landed on (both placed
   * before seeing the other's) moves to the next free slot of its zone when it is the later one
   * (session/fresh-notes.ts). No undo step: the person did not move it.
   */
  private giveWay(ids: ReadonlySet<string>): void {
    const { session } = this
    if (this.fresh.size === 0 || !session.canWrite()) return
    const arrived = [...ids]
      .filter((id) => !this.fresh.has(id))
      .map((id) => session.model.get(id))
      .filter((note): note is NoteData => note !== null && note.authorId !== session.participantId)
    if (arrived.length === 0) return
    const mine = this.fresh.current((id) => session.model.get(id))
    for (const id of givingWay(mine, arrived)) {
      const note = session.model.get(id)
      if (!note || !session.mayChangeNote(note)) continue
      const zone = zoneOf(note.rect, session.zones)
      const centre: [number, number] = [note.rect[0] + note.rect[2] / 2, note.rect[1] + note.rect[3] / 2]
      const rect = this.place(zone ? { zoneId: zone.id, at: centre } : { zoneId: null, at: centre }, true, id)
      this.fresh.remember(id, rect)
      session.model.setRects(new Map([[id, rect]]), null)
    }
  }

  /**
   * An image note is bigger than a slot: the placement rule's slots are tried in its order
   * (each one found taken in turn) until the note, at its own size, covers no other note.
   */
  private placeImage(request: Pick<PlacementRequest, 'zoneId' | 'at'>, inLane: boolean, picture: SentImage): Rect {
    const notes = this.session.model.all().map((n) => n.rect)
    const taken: Rect[] = []
    let rect = imageRect(this.place(request, inLane), picture)
    for (let tries = 0; tries < MAX_IMAGE_TRIES && notes.some((other) => intersects(other, rect)); tries++) {
      taken.push(rect)
      rect = imageRect(this.place(request, inLane, null, taken), picture)
    }
    return rect
  }

  groupMembers(groupId: string): string[] {
    return this.session.groups.members(groupId)
  }

  /** "Regrouper": a new group (theme) of the selected notes this person may change; its id, or null (and a notice). */
  makeGroup(ids: Iterable<string>): string | null {
    const { session } = this
    if (!session.canWrite()) return null
    const changeable = this.changeable(ids).filter((id) => !session.model.get(id)?.private)
    if (changeable.length === 0) {
      session.notify(t('group.nothing'))
      return null
    }
    session.undo.stopCapturing()
    return session.groups.create(t('group.untitled'), changeable, session.participantId, session.clock.now())
  }

  regroupDropped(from: ReadonlyMap<string, Rect>, onto: DropTarget | null): string | null {
    const made = this.regroup(from, onto)
    // One drop, one undo step (its move and its theme change): the next drop is a step of its own.
    this.session.undo.stopCapturing()
    return made
  }

  /** The list view's "Retirer du thème": the note leaves its group (LOCAL, as a drop out of its frame does). */
  leaveGroup(id: string): void {
    const { session } = this
    if (!session.canWrite() || !session.groups.groupOf(id)) return
    if (!this.mayChange(id)) {
      this.refuseChange()
      return
    }
    session.undo.stopCapturing()
    session.groups.leave([id], LOCAL)
    session.undo.stopCapturing()
  }

  private regroup(from: ReadonlyMap<string, Rect>, onto: DropTarget | null): string | null {
    const { session } = this
    const { groups } = session
    if (!session.canWrite()) return null
    const shared = (id: string): boolean => session.model.get(id) !== null && !session.model.get(id)?.private
    const dropped = this.changeable(from.keys()).filter(shared)
    if (dropped.length === 0) return null
    const before = new Set(dropped.map((id) => groups.groupOf(id)).filter(Boolean))
    // The dropped notes' groupId is written LOCAL, with their move: Ctrl+Z takes both back.
    let made: string | null = null
    if (onto !== null && 'group' in onto) {
      groups.join(onto.group, dropped, LOCAL)
    } else if (onto !== null && shared(onto.note)) {
      let target = groups.groupOf(onto.note)
      if (!target) {
        if (!this.mayChange(onto.note)) {
          this.refuseChange()
          return null
        }
        target = made = groups.create(t('group.untitled'), [onto.note], session.participantId, session.clock.now())
      }
      groups.join(target, dropped, LOCAL)
    } else {
      // Dropped away from every note: a note whose centre left its group's frame leaves the group.
      const leaving = dropped.filter((id) => this.leftFrame(id, from))
      if (leaving.length > 0) groups.leave(leaving, LOCAL)
    }
    // A theme emptied this way stays, an empty card (docs/board-schema.md), until Ctrl+Z or "Supprimer".
    for (const groupId of before) {
      const group = groups.get(groupId)
      if (group && groups.members(groupId).length === 0) session.notify(t('group.emptied', { title: group.title }), undefined, 'undoable')
    }
    return made
  }

  /** The note's centre is outside its group's frame as drawn before the drag (`from`: the moved notes' rectangles then); never when all of the group moved. */
  private leftFrame(id: string, from: ReadonlyMap<string, Rect>): boolean {
    const { groups, model } = this.session
    const groupId = groups.groupOf(id)
    const rect = model.get(id)?.rect
    if (!groupId || !rect) return false
    const members = groups.members(groupId)
    if (members.every((m) => from.has(m))) return false
    const before = members.map((m) => from.get(m) ?? model.get(m)?.rect)
    const frame = bounds(before.filter((other): other is Rect => other !== undefined))
    return frame !== null && !inside([rect[0] + rect[2] / 2, rect[1] + rect[3] / 2], groupFrame(frame))
  }

  /** Runs a change to a group if this person may make it, else says why. */
  changeGroup(groupId: string, change: () => void): void {
    const group = this.session.groups.get(groupId)
    if (!group || !this.session.canWrite()) return
    if (!this.session.mayChangeGroup(group)) {
      this.session.notify(t('group.notYours'))
      return
    }
    change()
  }

  ungroup(groupId: string): void {
    this.changeGroup(groupId, () => {
      const title = this.session.groups.get(groupId)?.title ?? ''
      this.session.groups.ungroup(groupId, (id) => this.mayChange(id))
      this.session.notify(t('group.ungrouped', { title }))
    })
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
    session.notify(t(others ? 'notes.deletedOthers' : 'notes.deleted', { count: changeable.length }), undefined, others ? undefined : 'undoable')
  }

  /** An edit ended: the next keystrokes are a new undo step, and a new note left empty goes (no undo step). */
  editEnded(id: string, isNew: boolean): void {
    const { session } = this
    session.undo.stopCapturing()
    // On a locked board (an edit kept open through the lock's grace) the deletion would be refused.
    if (isNew && session.model.text(id)?.length === 0 && session.canWrite()) session.model.delete([id], null)
  }

  /** Text went past the board's limit on a note's length and was cut: said, with how much was lost. */
  textLimit(dropped: number): void {
    this.session.notify(t('limit.cut', { max: this.session.limits.maxNoteChars, count: dropped }), 'error')
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
    // "Ctrl+Z pour annuler" is answered (issue 22: it stayed on screen after the undo).
    session.withdrawNotice('undoable')
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

/** How the forms and the list name a zone: a grid cell by its row (axis) and its title (column). */
export function zoneName(zone: Pick<Zone, 'id' | 'title' | 'row'>): string {
  const title = zone.title || zone.id
  return zone.row ? `${zone.row} · ${title}` : title
}

function inside([x, y]: [number, number], [rx, ry, rw, rh]: Rect): boolean {
  return x >= rx && x <= rx + rw && y >= ry && y <= ry + rh
}
