/** Copy, paste and duplicate on the canvas: `Ctrl+C`, `Ctrl+V`, `Ctrl+D`, with the browser's clipboard events (so the Edit menu works too); a pasted picture makes an image note. */
import { copiedNotes, rememberCopiedNotes } from '../lib/storage'
import type { BoardCanvas } from './canvas'
import { imageFiles } from './image-input'
import type { NoteActions, NoteCopy } from './note-actions'
import { type CopiedNote, MANY_LINES, NOTES_FORMAT, copyNotes, pastedRects, readCopiedNotes, textLines } from './note-clipboard'
import { toBoard } from './viewport'

export class ClipboardInput {
  /** Where the mouse is over the board (board units); null when it is elsewhere: pastes then go by the placement rule. */
  private pointer: [number, number] | null = null

  constructor(private readonly canvas: BoardCanvas, private readonly actions: NoteActions) {
    const el = canvas.el
    el.addEventListener('pointermove', (event) => {
      if (event.pointerType !== 'mouse') return
      const box = el.getBoundingClientRect()
      this.pointer = toBoard(canvas.view, event.clientX - box.left, event.clientY - box.top)
    })
    el.addEventListener('pointerleave', () => {
      this.pointer = null
    })
    el.addEventListener('keydown', this.onKeyDown)
    document.addEventListener('copy', this.onCopy)
    document.addEventListener('paste', this.onPaste)
  }

  /** The canvas or one of its notes has the focus, no text field: the clipboard is the board's. */
  private isOurs(): boolean {
    const active = document.activeElement
    return active instanceof HTMLElement && this.canvas.el.contains(active) && !active.closest('textarea, input, select')
  }

  private selected(): CopiedNote[] {
    const notes: CopiedNote[] = []
    for (const id of this.canvas.selection) {
      const note = this.canvas.note(id)
      if (note) notes.push({ text: note.text, color: note.color, rect: note.rect, ...(note.imageId ? { imageId: note.imageId } : {}) })
    }
    return notes
  }

  private readonly onCopy = (event: ClipboardEvent): void => {
    if (!this.isOurs() || !event.clipboardData) return
    const notes = this.selected()
    if (notes.length === 0) return
    const payload = copyNotes(notes)
    const json = JSON.stringify(payload)
    event.preventDefault()
    event.clipboardData.setData('text/plain', payload.text)
    event.clipboardData.setData(NOTES_FORMAT, json)
    rememberCopiedNotes(json)
  }

  private readonly onPaste = (event: ClipboardEvent): void => {
    if (!this.isOurs() || !event.clipboardData) return
    event.preventDefault()
    // A picture (a screenshot, an image copied from a page): an image note, at the pointer.
    const pictures = imageFiles(event.clipboardData)
    if (pictures.length > 0) {
      const box = this.canvas.el.getBoundingClientRect()
      const at = this.pointer ?? toBoard(this.canvas.view, box.width / 2, box.height / 2)
      for (const file of pictures) this.actions.addImage(file, at, this.pointer !== null)
      return
    }
    const text = event.clipboardData.getData('text/plain')
    // Our own format first; else the notes this browser copied last, when the text is theirs.
    const stored = readCopiedNotes(copiedNotes())
    const copied = readCopiedNotes(event.clipboardData.getData(NOTES_FORMAT)) ?? (stored && stored.text === text ? stored : null)
    if (copied) {
      const rects = this.pointer ? pastedRects(copied.notes, this.pointer) : null
      this.create(copied.notes.map((note, i) => ({ text: note.text, color: note.color, rect: rects?.[i] ?? null })))
      return
    }
    const lines = textLines(text)
    if (lines.length === 0) return
    if (lines.length > MANY_LINES && !this.actions.confirmLines(lines.length)) return
    this.create(lines.map((line) => ({ text: line, color: null, rect: null })))
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'd' || event.altKey || event.shiftKey) return
    if (!this.isOurs()) return
    // The browser's own Ctrl+D (a bookmark) is not what a person on the board means.
    event.preventDefault()
    this.duplicate()
  }

  /** Copies of the selected notes beside them, in this person's name (`Ctrl+D`, the toolbar's "Dupliquer"). */
  duplicate(): void {
    const notes = this.selected()
    if (notes.length === 0) return
    this.create(notes.map((note) => ({ text: note.text, color: note.color, rect: pastedRects([note], null)[0] ?? null, ...(note.imageId ? { imageId: note.imageId } : {}) })))
  }

  /** Creates the copies (at the pointer, else by the placement rule around the view's centre) and selects them. */
  private create(copies: NoteCopy[]): void {
    const box = this.canvas.el.getBoundingClientRect()
    const at = this.pointer ?? toBoard(this.canvas.view, box.width / 2, box.height / 2)
    const ids = this.actions.createNotes(copies, at, this.pointer !== null)
    if (ids.length === 0) return
    this.canvas.flush()
    this.canvas.select(ids)
  }
}
