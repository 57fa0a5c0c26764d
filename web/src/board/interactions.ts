/**
 * Pointer, touch and keyboard on the canvas: pan, zoom and pinch, select (click, shift-click,
 * shift-drag band), drag to move, resize, double-click or double-tap to create or edit, and the
 * keyboard shortcuts (docs/web-client.md). While dragging, the live position travels as presence
 * and only the drop is written (BOARD_SCHEMA.md).
 */
import type { DragPresence, ResizePresence } from '../sync/presence'
import type { BoardCanvas } from './canvas'
import { MAX_NOTE_SIZE, MIN_NOTE_SIZE, type Rect, intersects } from './geometry'
import { toBoard } from './viewport'

export interface BoardActions {
  canWrite(): boolean
  /** Creates a note centred on a board point and returns its id (null: not allowed or full). */
  createNoteAt(x: number, y: number): string | null
  moveNotes(rects: Map<string, Rect>): void
  deleteNotes(ids: string[]): void
  undo(): void
  redo(): void
  cursor(position: [number, number] | null): void
  drag(drag: DragPresence | null): void
  resize(resize: ResizePresence | null): void
  flushPresence(): void
}

// Below this many screen pixels a press is a click, not a drag: hands shake, trackpads slip.
const DRAG_THRESHOLD = 4
const DOUBLE_TAP_MS = 350
const DOUBLE_TAP_PX = 24
const KEY_STEP = 10
const KEY_STEP_LARGE = 50

type Gesture =
  | { kind: 'none' }
  | { kind: 'press'; pointerId: number; sx: number; sy: number; noteId: string; origin: Map<string, Rect>; moved: boolean }
  | { kind: 'resize'; pointerId: number; sx: number; sy: number; id: string; origin: Rect }
  | { kind: 'pan'; pointerId: number; lx: number; ly: number; moved: boolean }
  | { kind: 'band'; pointerId: number; bx: number; by: number; base: Set<string> }
  | { kind: 'pinch'; distance: number; mx: number; my: number }

export class Interactions {
  private gesture: Gesture = { kind: 'none' }
  private readonly touches = new Map<number, [number, number]>()
  private lastTap: { time: number; x: number; y: number; noteId: string | null } | null = null

  constructor(private readonly canvas: BoardCanvas, private readonly actions: BoardActions) {
    const el = canvas.el
    el.addEventListener('pointerdown', this.onPointerDown)
    el.addEventListener('pointermove', this.onPointerMove)
    el.addEventListener('pointerup', this.onPointerUp)
    el.addEventListener('pointercancel', this.onPointerCancel)
    el.addEventListener('pointerleave', () => this.actions.cursor(null))
    el.addEventListener('wheel', this.onWheel, { passive: false })
    el.addEventListener('keydown', this.onKeyDown)
    el.addEventListener('focusin', this.onFocusIn)
    // Double-click is handled as two clicks in a row below, the same way for mouse and touch.
    el.addEventListener('dblclick', (event) => event.preventDefault())
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
    const noteId = target.closest<HTMLElement>('[data-note]')?.dataset.note
    if (resizeId && this.actions.canWrite()) {
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
      for (const id of this.canvas.selection) {
        const rect = this.canvas.note(id)?.rect
        if (rect) origin.set(id, rect)
      }
      this.capture(event)
      this.gesture = { kind: 'press', pointerId: event.pointerId, sx, sy, noteId, origin, moved: false }
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
    if (event.pointerType !== 'touch') this.actions.cursor(toBoard(this.canvas.view, sx, sy))
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
        }
        const zoom = this.canvas.view.zoom
        const dx = Math.round((sx - gesture.sx) / zoom)
        const dy = Math.round((sy - gesture.sy) / zoom)
        const preview = new Map<string, Rect>()
        for (const [id, [x, y, w, h]] of gesture.origin) preview.set(id, [x + dx, y + dy, w, h])
        this.canvas.setPreview(preview)
        this.actions.drag({ ids: [...gesture.origin.keys()], dx, dy })
        break
      }
      case 'resize': {
        const zoom = this.canvas.view.zoom
        const [x, y, w, h] = gesture.origin
        const nw = clamp(Math.round(w + (sx - gesture.sx) / zoom), MIN_NOTE_SIZE.w, MAX_NOTE_SIZE.w)
        const nh = clamp(Math.round(h + (sy - gesture.sy) / zoom), MIN_NOTE_SIZE.h, MAX_NOTE_SIZE.h)
        this.canvas.setPreview(new Map([[gesture.id, [x, y, nw, nh]]]))
        this.actions.resize({ id: gesture.id, w: nw, h: nh })
        break
      }
      case 'band': {
        const [bx, by] = toBoard(this.canvas.view, sx, sy)
        const rect: Rect = [Math.min(bx, gesture.bx), Math.min(by, gesture.by), Math.abs(bx - gesture.bx), Math.abs(by - gesture.by)]
        this.showBand(rect)
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
          this.drop()
        } else {
          this.tap(sx, sy, gesture.noteId)
        }
        break
      case 'resize': {
        const rect = this.canvas.shownRect(gesture.id)
        this.canvas.setPreview(null)
        if (rect) this.actions.moveNotes(new Map([[gesture.id, rect]]))
        this.actions.resize(null)
        this.actions.flushPresence()
        break
      }
      case 'band':
        this.showBand(null)
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
      this.canvas.startEdit(noteId)
    } else if (this.actions.canWrite()) {
      const [bx, by] = toBoard(this.canvas.view, sx, sy)
      const id = this.actions.createNoteAt(bx, by)
      if (id) this.canvas.startEdit(id, true)
    }
  }

  private drop(): void {
    const rects = new Map<string, Rect>()
    for (const id of this.canvas.selection) {
      const rect = this.canvas.shownRect(id)
      if (rect) rects.set(id, rect)
    }
    this.canvas.setPreview(null)
    if (rects.size > 0) this.actions.moveNotes(rects)
    this.actions.drag(null)
    this.actions.flushPresence()
  }

  private cancelGesture(): void {
    if (this.gesture.kind === 'press' || this.gesture.kind === 'resize') {
      this.canvas.setPreview(null)
      this.actions.drag(null)
      this.actions.resize(null)
    }
    if (this.gesture.kind === 'band') this.showBand(null)
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
      this.canvas.zoomBy(Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.01)), sx, sy)
    } else {
      const scale = event.deltaMode === 1 ? 20 : 1
      this.canvas.panBy(-event.deltaX * scale, -event.deltaY * scale)
    }
  }

  private showBand(rect: Rect | null): void {
    const band = this.canvas.bandEl
    if (!rect) {
      band.hidden = true
      return
    }
    const { x, y, zoom } = this.canvas.view
    band.hidden = false
    band.style.transform = `translate(${rect[0] * zoom + x}px, ${rect[1] * zoom + y}px)`
    band.style.width = `${rect[2] * zoom}px`
    band.style.height = `${rect[3] * zoom}px`
  }

  /** Keyboard focus on a note selects it, so every action works without a mouse. */
  private readonly onFocusIn = (event: FocusEvent): void => {
    const target = event.target as HTMLElement
    const noteId = target.dataset?.note
    if (!noteId || this.gesture.kind !== 'none') return
    if (!this.canvas.selection.has(noteId)) this.canvas.select([noteId])
    this.canvas.reveal(noteId)
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const target = event.target as HTMLElement
    if (target.closest('textarea, input, select')) {
      if (event.key === 'Escape' && target.classList.contains('note__editor')) {
        const id = this.canvas.editingId
        event.preventDefault()
        event.stopPropagation()
        this.canvas.stopEdit()
        if (id && this.canvas.note(id)) this.canvas.focusNote(id)
        else this.canvas.el.focus()
      }
      return
    }
    const mod = event.ctrlKey || event.metaKey
    const selection = [...this.canvas.selection]
    const focusedNote = target.dataset?.note ?? null
    const writable = this.actions.canWrite()
    if (mod && event.key.toLowerCase() === 'a') {
      event.preventDefault()
      this.canvas.select([...this.canvas.notes()].map((n) => n.id))
      return
    }
    if (mod) return // undo and redo are handled for the whole board screen
    switch (event.key) {
      case 'n':
      case 'N': {
        if (!writable || event.altKey) return
        event.preventDefault()
        const box = this.canvas.el.getBoundingClientRect()
        const [bx, by] = toBoard(this.canvas.view, box.width / 2, box.height / 2)
        const id = this.actions.createNoteAt(bx, by)
        if (id) this.canvas.startEdit(id, true)
        return
      }
      case 'Enter':
      case 'F2':
        if (focusedNote && writable) {
          event.preventDefault()
          this.canvas.startEdit(focusedNote)
        }
        return
      case 'Escape':
        this.canvas.select([])
        this.canvas.el.focus()
        return
      case 'Delete':
      case 'Backspace':
        if (writable && selection.length > 0) {
          event.preventDefault()
          this.actions.deleteNotes(selection)
          this.canvas.el.focus()
        }
        return
      case '+':
      case '=':
        this.canvas.zoomBy(1.2)
        return
      case '-':
        this.canvas.zoomBy(1 / 1.2)
        return
      case '0':
        this.canvas.fitContent()
        return
    }
    const arrow = ARROWS[event.key]
    if (!arrow) return
    event.preventDefault()
    const step = event.shiftKey ? KEY_STEP_LARGE : KEY_STEP
    if (selection.length > 0 && writable) {
      // The shown notes catch up with the document at the next frame; keys pressed within one
      // frame must each start from the previous key's move, or all but the last are lost.
      this.canvas.flush()
      const rects = new Map<string, Rect>()
      for (const id of selection) {
        const rect = this.canvas.note(id)?.rect
        if (rect) rects.set(id, [rect[0] + arrow[0] * step, rect[1] + arrow[1] * step, rect[2], rect[3]])
      }
      this.actions.moveNotes(rects)
    } else {
      this.canvas.panBy(-arrow[0] * step * 4, -arrow[1] * step * 4)
    }
  }
}

const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}
