/** The keyboard on the canvas and its notes: the shortcuts of docs/web-client.md, and a focused note selected. */
import type { BoardCanvas } from './canvas'
import type { Rect } from './geometry'
import type { NoteActions } from './note-actions'
import type { PointerGestures } from './pointer-gestures'
import { toBoard } from './viewport'

const KEY_STEP = 10
const KEY_STEP_LARGE = 50

export class BoardKeys {
  /** `gestures`: a focus that comes with a pointer gesture is the gesture's, not the keyboard's. */
  constructor(private readonly canvas: BoardCanvas, private readonly actions: NoteActions, private readonly gestures: PointerGestures) {
    canvas.el.addEventListener('keydown', this.onKeyDown)
    canvas.el.addEventListener('focusin', this.onFocusIn)
  }

  /** Keyboard focus on a note selects it, so every action works without a mouse. */
  private readonly onFocusIn = (event: FocusEvent): void => {
    const target = event.target as HTMLElement
    const noteId = target.dataset?.note
    if (!noteId || this.gestures.isActive) return
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
          if (this.actions.mayChange(focusedNote)) this.canvas.startEdit(focusedNote)
          else this.actions.refuseChange()
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
        this.canvas.requestFit()
        return
      case 'z':
      case 'Z':
        if (event.altKey || event.shiftKey) return
        event.preventDefault()
        this.canvas.zoomToSelection()
        return
      case '?':
        event.preventDefault()
        this.canvas.requestHelp()
        return
      case 'g':
      case 'G':
        if (!writable || event.altKey || selection.length === 0) return
        event.preventDefault()
        this.canvas.requestGroup()
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
