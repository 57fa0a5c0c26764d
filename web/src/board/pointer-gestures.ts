/** Pointer, touch and wheel on the canvas: pan, zoom and pinch, select (click, shift-click, shift-drag band), drag to move, resize, double-click or double-tap to create or edit. */
import type { Presence } from '../sync/presence'
import type { BoardCanvas } from './canvas'
import { MAX_NOTE_SIZE, MIN_NOTE_SIZE, type Rect, bounds, intersects } from './geometry'
import { GROUP_BAR, GROUP_MARGIN } from './groups-layer'
import type { DropTarget, NoteActions } from './note-actions'
import { toBoard, wheelZoomFactor } from './viewport'

// While dragging, the live position travels as presence and only the drop is written
// (docs/board-schema.md), so that a move is one change for everyone.

/** The presence a gesture shows the others while it lasts. */
export type LivePresence = Pick<Presence, 'update' | 'flush'>

// Below this many screen pixels a press is a click, not a drag: hands shake, trackpads slip.
const DRAG_THRESHOLD = 4
const DOUBLE_TAP_MS = 350
const DOUBLE_TAP_PX = 24

type Gesture =
  | { kind: 'none' }
  | { kind: 'press'; pointerId: number; sx: number; sy: number; noteId: string; origin: Map<string, Rect>; moved: boolean; byGroupBar: boolean }
  | { kind: 'resize'; pointerId: number; sx: number; sy: number; id: string; origin: Rect }
  | { kind: 'pan'; pointerId: number; lx: number; ly: number; moved: boolean }
  | { kind: 'band'; pointerId: number; bx: number; by: number; base: Set<string> }
  | { kind: 'pinch'; distance: number; mx: number; my: number }

export class PointerGestures {
  private gesture: Gesture = { kind: 'none' }
  private readonly touches = new Map<number, [number, number]>()
  private lastTap: { time: number; x: number; y: number; noteId: string | null } | null = null

  constructor(private readonly canvas: BoardCanvas, private readonly actions: NoteActions, private readonly presence: LivePresence) {
    const el = canvas.el
    el.addEventListener('pointerdown', this.onPointerDown)
    el.addEventListener('pointermove', this.onPointerMove)
    el.addEventListener('pointerup', this.onPointerUp)
    el.addEventListener('pointercancel', this.onPointerCancel)
    el.addEventListener('pointerleave', () => this.cursor(null))
    el.addEventListener('wheel', this.onWheel, { passive: false })
    // Double-click is handled as two clicks in a row below, the same way for mouse and touch.
    el.addEventListener('dblclick', (event) => event.preventDefault())
  }

  /** A press, drag, pinch or band selection is in progress. */
  get isActive(): boolean {
    return this.gesture.kind !== 'none'
  }

  private cursor(position: [number, number] | null): void {
    this.presence.update({ cursor: position && [Math.round(position[0]), Math.round(position[1])] })
  }

  private point(event: { clientX: number; clientY: number }): [number, number] {
    const box = this.canvas.el.getBoundingClientRect()
    return [event.clientX - box.left, event.clientY - box.top]
  }

  private readonly onPointerDown = (event: PointerEvent): void => {
    const target = event.target as HTMLElement
    if (target.closest('textarea, button, input, select, a')) return
    const [sx, sy] = this.point(event)
    if (event.pointerType === 'touch') {
      this.touches.set(event.pointerId, [sx, sy])
      if (this.touches.size === 2) {
        this.cancelGesture()
        this.gesture = this.pinchStart()
        return
      }
      if (this.touches.size > 2) return
    }
    if (event.button !== 0 && event.pointerType === 'mouse') {
      if (event.button === 1) this.startPan(event, sx, sy) // middle button pans, as in most tools
      return
    }
    const resizeId = target.closest<HTMLElement>('[data-resize]')?.dataset.resize
    let noteId = target.closest<HTMLElement>('[data-note]')?.dataset.note
    // A group's title bar drags the whole group (board/groups-layer.ts).
    const groupBar = target.closest<HTMLElement>('[data-group-bar]')?.dataset.groupBar
    const byGroupBar = !noteId && groupBar !== undefined
    if (!noteId && groupBar) {
      const members = this.actions.groupMembers(groupBar)
      if (members.length > 0) {
        this.canvas.select(members)
        noteId = members[0]
      }
    }
    if (resizeId && this.actions.canWrite() && this.actions.mayChange(resizeId)) {
      const origin = this.canvas.note(resizeId)?.rect
      if (origin) {
        event.preventDefault()
        this.capture(event)
        this.gesture = { kind: 'resize', pointerId: event.pointerId, sx, sy, id: resizeId, origin }
        return
      }
    }
    if (noteId) {
      if (this.canvas.editingId === noteId) return
      if (event.shiftKey || event.ctrlKey || event.metaKey) {
        this.canvas.toggle(noteId)
        return
      }
      if (!this.canvas.selection.has(noteId)) this.canvas.select([noteId])
      const origin = new Map<string, Rect>()
      // A note moves alone, so that it can be dragged out of its group; the title bar moves them all.
      for (const id of this.canvas.selection) {
        const rect = this.canvas.note(id)?.rect
        if (rect) origin.set(id, rect)
      }
      this.capture(event)
      this.gesture = { kind: 'press', pointerId: event.pointerId, sx, sy, noteId, origin, moved: false, byGroupBar }
      return
    }
    // The empty board.
    this.canvas.stopEdit()
    if (event.shiftKey) {
      const [bx, by] = toBoard(this.canvas.view, sx, sy)
      this.capture(event)
      this.gesture = { kind: 'band', pointerId: event.pointerId, bx, by, base: new Set(this.canvas.selection) }
      return
    }
    this.startPan(event, sx, sy)
  }

  private startPan(event: PointerEvent, sx: number, sy: number): void {
    this.capture(event)
    this.gesture = { kind: 'pan', pointerId: event.pointerId, lx: sx, ly: sy, moved: false }
  }

  private readonly onPointerMove = (event: PointerEvent): void => {
    const [sx, sy] = this.point(event)
    if (event.pointerType === 'touch' && this.touches.has(event.pointerId)) {
      this.touches.set(event.pointerId, [sx, sy])
      if (this.gesture.kind === 'pinch') {
        this.pinchMove()
        return
      }
    }
    if (event.pointerType !== 'touch') this.cursor(toBoard(this.canvas.view, sx, sy))
    const gesture = this.gesture
    if (gesture.kind === 'none' || gesture.kind === 'pinch' || gesture.pointerId !== event.pointerId) return
    switch (gesture.kind) {
      case 'pan':
        if (Math.abs(sx - gesture.lx) + Math.abs(sy - gesture.ly) > 0) gesture.moved = true
        this.canvas.panBy(sx - gesture.lx, sy - gesture.ly)
        gesture.lx = sx
        gesture.ly = sy
        break
      case 'press': {
        if (!gesture.moved && Math.hypot(sx - gesture.sx, sy - gesture.sy) < DRAG_THRESHOLD) return
        if (!this.actions.canWrite()) return
        if (!gesture.moved) {
          gesture.moved = true
          this.canvas.stopEdit()
          // Only the notes one may change move; the others stay where they are, said once per drag.
          const movable = new Map([...gesture.origin].filter(([id]) => this.actions.mayChange(id)))
          if (movable.size < gesture.origin.size) this.actions.refuseChange()
          gesture.origin = movable
        }
        if (gesture.origin.size === 0) return
        const zoom = this.canvas.view.zoom
        const dx = Math.round((sx - gesture.sx) / zoom)
        const dy = Math.round((sy - gesture.sy) / zoom)
        const preview = new Map<string, Rect>()
        for (const [id, [x, y, w, h]] of gesture.origin) preview.set(id, [x + dx, y + dy, w, h])
        this.canvas.setPreview(preview)
        // A private note's id never goes into presence, which everyone receives (docs/protocol.md 7.2).
        this.presence.update({ drag: { ids: [...gesture.origin.keys()].filter((id) => !this.canvas.note(id)?.private), dx, dy } })
        break
      }
      case 'resize': {
        const zoom = this.canvas.view.zoom
        const [x, y, w, h] = gesture.origin
        const nw = clamp(Math.round(w + (sx - gesture.sx) / zoom), MIN_NOTE_SIZE.w, MAX_NOTE_SIZE.w)
        const nh = clamp(Math.round(h + (sy - gesture.sy) / zoom), MIN_NOTE_SIZE.h, MAX_NOTE_SIZE.h)
        this.canvas.setPreview(new Map([[gesture.id, [x, y, nw, nh]]]))
        if (!this.canvas.note(gesture.id)?.private) this.presence.update({ resize: { id: gesture.id, w: nw, h: nh } })
        break
      }
      case 'band': {
        const [bx, by] = toBoard(this.canvas.view, sx, sy)
        const rect: Rect = [Math.min(bx, gesture.bx), Math.min(by, gesture.by), Math.abs(bx - gesture.bx), Math.abs(by - gesture.by)]
        this.canvas.showBand(rect)
        const ids = new Set(gesture.base)
        for (const note of this.canvas.notes()) if (intersects(note.rect, rect)) ids.add(note.id)
        this.canvas.select(ids)
        break
      }
    }
  }

  private readonly onPointerUp = (event: PointerEvent): void => {
    this.touches.delete(event.pointerId)
    const gesture = this.gesture
    if (gesture.kind === 'pinch') {
      if (this.touches.size < 2) this.gesture = { kind: 'none' }
      return
    }
    if (gesture.kind === 'none' || gesture.pointerId !== event.pointerId) return
    this.gesture = { kind: 'none' }
    const [sx, sy] = this.point(event)
    switch (gesture.kind) {
      case 'pan':
        if (!gesture.moved) {
          this.canvas.select([])
          this.tap(sx, sy, null)
        }
        break
      case 'press':
        if (gesture.moved) {
          this.drop(gesture.origin, gesture.byGroupBar ? null : toBoard(this.canvas.view, sx, sy))
        } else {
          this.tap(sx, sy, gesture.noteId)
        }
        break
      case 'resize': {
        const rect = this.canvas.shownRect(gesture.id)
        this.canvas.setPreview(null)
        if (rect) this.actions.moveNotes(new Map([[gesture.id, rect]]))
        this.presence.update({ resize: null })
        this.presence.flush()
        break
      }
      case 'band':
        this.canvas.showBand(null)
        break
    }
  }

  private readonly onPointerCancel = (event: PointerEvent): void => {
    this.touches.delete(event.pointerId)
    this.cancelGesture()
  }

  /** A tap; two in a row at one place create a note (empty board) or edit one. */
  private tap(sx: number, sy: number, noteId: string | null): void {
    const now = performance.now()
    const last = this.lastTap
    const isDouble = last !== null && now - last.time < DOUBLE_TAP_MS &&
      Math.hypot(sx - last.x, sy - last.y) < DOUBLE_TAP_PX && last.noteId === noteId
    this.lastTap = isDouble ? null : { time: now, x: sx, y: sy, noteId }
    if (!isDouble) return
    if (noteId) {
      if (this.actions.mayChange(noteId)) this.canvas.startEdit(noteId)
      else if (this.actions.canWrite()) this.actions.refuseChange()
    } else if (this.actions.canWrite()) {
      const [bx, by] = toBoard(this.canvas.view, sx, sy)
      const id = this.actions.createNoteAt(bx, by, true)
      if (id) this.canvas.startEdit(id, true)
    }
  }

  /**
   * The end of a drag: the notes that moved (`origin`, those one may change) are written where they
   * are shown. `at`: the board point where notes (not a group by its title) were dropped: on
   * another note they join its group, elsewhere they may leave theirs (NoteActions.regroupDropped).
   */
  private drop(origin: ReadonlyMap<string, Rect>, at: [number, number] | null): void {
    const rects = new Map<string, Rect>()
    for (const id of origin.keys()) {
      const rect = this.canvas.shownRect(id)
      if (rect) rects.set(id, rect)
    }
    this.canvas.setPreview(null)
    if (rects.size > 0) {
      const target = at ? this.dropTarget(at, new Set(rects.keys())) : null
      // Dropped on a group's card: the notes go where its frame will be, so that the group stays put.
      const card = target && 'group' in target ? this.canvas.cardAt(...(at as [number, number])) : null
      this.actions.moveNotes(card ? intoFrame(rects, card.rect) : rects)
      if (at) {
        const from = new Map([...origin].filter(([id]) => rects.has(id)))
        const made = this.actions.regroupDropped(from, target)
        if (made) this.canvas.groupMade(made)
      }
    }
    this.presence.update({ drag: null })
    this.presence.flush()
  }

  /** The note under the drop point (not one of the dropped), else a group's card there. */
  private dropTarget([x, y]: [number, number], dropped: ReadonlySet<string>): DropTarget | null {
    const note = this.canvas.noteAt(x, y, dropped)
    if (note) return { note }
    const card = this.canvas.cardAt(x, y)
    return card ? { group: card.id } : null
  }

  private cancelGesture(): void {
    if (this.gesture.kind === 'press' || this.gesture.kind === 'resize') {
      this.canvas.setPreview(null)
      this.presence.update({ drag: null })
      this.presence.update({ resize: null })
    }
    if (this.gesture.kind === 'band') this.canvas.showBand(null)
    this.gesture = { kind: 'none' }
  }

  private capture(event: PointerEvent): void {
    try {
      this.canvas.el.setPointerCapture(event.pointerId)
    } catch {
      // The pointer may already be gone (a very quick tap): nothing to capture.
    }
  }

  private pinchStart(): Gesture {
    const [[ax, ay], [bx, by]] = [...this.touches.values()] as [[number, number], [number, number]]
    return { kind: 'pinch', distance: Math.hypot(ax - bx, ay - by), mx: (ax + bx) / 2, my: (ay + by) / 2 }
  }

  private pinchMove(): void {
    const gesture = this.gesture
    if (gesture.kind !== 'pinch' || this.touches.size < 2) return
    const next = this.pinchStart() as Extract<Gesture, { kind: 'pinch' }>
    this.canvas.panBy(next.mx - gesture.mx, next.my - gesture.my)
    if (gesture.distance > 0) this.canvas.zoomBy(next.distance / gesture.distance, next.mx, next.my)
    this.gesture = next
  }

  private readonly onWheel = (event: WheelEvent): void => {
    event.preventDefault()
    const [sx, sy] = this.point(event)
    // Trackpad pinches arrive as wheel events with ctrlKey; a mouse wheel with Ctrl zooms too.
    if (event.ctrlKey || event.metaKey) {
      this.canvas.zoomBy(wheelZoomFactor(event.deltaY, event.deltaMode), sx, sy)
    } else {
      const scale = event.deltaMode === 1 ? 20 : 1
      this.canvas.panBy(-event.deltaX * scale, -event.deltaY * scale)
    }
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

/** The rectangles moved together so that their frame's top left is the card's (groups-layer.ts). */
function intoFrame(rects: ReadonlyMap<string, Rect>, [cx, cy]: Rect): Map<string, Rect> {
  const [bx, by] = bounds(rects.values()) ?? [cx, cy]
  const dx = cx + GROUP_MARGIN - bx
  const dy = cy + GROUP_MARGIN + GROUP_BAR - by
  return new Map([...rects].map(([id, [x, y, w, h]]) => [id, [x + dx, y + dy, w, h]]))
}
