/** The notes on the canvas: which changed (drawn at the next frame), which are near the screen (mounted), and painting them. */
import { h } from '../lib/dom'
import type { PresenceState } from '../sync/presence'
import { type Rect, intersects } from './geometry'
import type { NoteData, NotesModel } from './model'
import { type NoteView, createNoteView, measureClipping, paintNote } from './note-look'
import { RemoteMarks } from './remote-marks'
import { type View, visibleRect } from './viewport'

/** What the note layer reads of the canvas around it. */
export interface CanvasState {
  readonly view: View
  /** The canvas size, measured once per resize (0 before the first measure). */
  readonly size: { width: number; height: number }
  readonly selection: ReadonlySet<string>
  readonly editingId: string | null
  readonly isReadOnly: boolean
  /** Whether this person may change the note (else it is drawn fixed). */
  mayChange(note: NoteData): boolean
  /** What the search field found: marked notes, the one shown now, and the others dimmed when filtering. */
  readonly search: FoundNotes
  /** An image note's picture: its URL once fetched, or missing (docs/board-schema.md, Image notes). */
  picture(imageId: string): { url: string | null; missing: boolean }
}

export interface FoundNotes {
  found: ReadonlySet<string>
  current: string | null
  /** Notes not found are dimmed (the filter). */
  dim: boolean
}

// Notes this far outside the screen (in screens) stay mounted: a short pan shows no gaps.
const MOUNT_MARGIN = 0.5

export class NoteLayer {
  readonly el = h('div', { class: 'notes-layer' })
  anonymous = false
  /** Adds what other features show on a note (votes, the private mark), after each paint. */
  decorate: ((data: NoteData, el: HTMLElement) => void) | null = null
  /** Notes of folded groups (themes): not shown, their group's card stands for them. */
  folded: ReadonlySet<string> = new Set()
  private model: NotesModel | null = null
  private offModel: (() => void) | null = null
  private readonly cache = new Map<string, NoteData>()
  private readonly views = new Map<string, NoteView>()
  private readonly dirty = new Set<string>()
  /** Local live geometry (a drag or resize in progress) that is not written yet. */
  private preview = new Map<string, Rect>()
  private readonly remote = new RemoteMarks()
  private area: Rect | null = null

  /** `onRemoved`: a note left the model while shown; the canvas ends its edit and selection. */
  constructor(private readonly canvas: CanvasState, private readonly onRemoved: (id: string) => void) {}

  note(id: string): NoteData | null {
    return this.cache.get(id) ?? null
  }

  notes(): IterableIterator<NoteData> {
    return this.cache.values()
  }

  text(id: string): ReturnType<NotesModel['text']> {
    return this.model?.text(id) ?? null
  }

  view(id: string): NoteView | undefined {
    return this.views.get(id)
  }

  isPreviewed(id: string): boolean {
    return this.preview.has(id)
  }

  /** The geometry shown for a note, including a drag or resize in progress. */
  shownRect(id: string): Rect | null {
    const preview = this.preview.get(id)
    if (preview) return preview
    const note = this.cache.get(id)
    if (!note) return null
    const [x, y, w, h] = note.rect
    const offset = this.remote.offset(id)
    const size = this.remote.size(id)
    return [x + (offset?.dx ?? 0), y + (offset?.dy ?? 0), size?.w ?? w, size?.h ?? h]
  }

  /** Shows another model; `onChange` hears which notes change in it. */
  setModel(model: NotesModel, onChange: (ids: Set<string>) => void): void {
    this.offModel?.()
    this.model = model
    for (const view of this.views.values()) view.el.remove()
    this.views.clear()
    this.cache.clear()
    for (const note of model.all()) this.cache.set(note.id, note)
    this.offModel = model.observe((ids) => onChange(ids))
  }

  has(id: string): boolean {
    return this.cache.has(id)
  }

  /** Returns the notes whose preview started or ended. */
  setPreview(preview: Map<string, Rect> | null): Set<string> {
    const touched = new Set([...this.preview.keys(), ...(preview?.keys() ?? [])])
    this.preview = preview ?? new Map()
    return touched
  }

  /** Returns the notes whose remote marks may have changed. */
  setRemote(others: Map<number, PresenceState>): Set<string> {
    return this.remote.set(others)
  }

  markDirty(ids: Iterable<string>): void {
    for (const id of ids) this.dirty.add(id)
  }

  /** The view or the canvas size changed: the mounted area is computed again. */
  viewChanged(): void {
    this.area = null
  }

  /** Marks the notes that enter or leave the mounted area. */
  updateVisibility(): void {
    const area = this.mountArea()
    const { selection, editingId } = this.canvas
    for (const [id, note] of this.cache) {
      const rect = this.shownRect(id) ?? note.rect
      const mounted = this.views.get(id)?.mounted ?? false
      const wanted = intersects(rect, area) || selection.has(id) || editingId === id
      if (wanted !== mounted) this.dirty.add(id)
    }
  }

  renderDirty(): void {
    const ids = [...this.dirty]
    this.dirty.clear()
    for (const id of ids) this.renderNow(id)
    measureClipping(this.shown(ids))
  }

  private *shown(ids: string[]): Generator<{ view: NoteView; data: NoteData }> {
    for (const id of ids) {
      const view = this.views.get(id)
      const data = this.cache.get(id)
      if (view && data) yield { view, data }
    }
  }

  renderNow(id: string): void {
    const data = this.model?.get(id) ?? null
    if (!data) {
      this.cache.delete(id)
      const view = this.views.get(id)
      if (view) {
        view.el.remove()
        this.views.delete(id)
      }
      this.onRemoved(id)
      return
    }
    this.cache.set(id, data)
    const rect = this.shownRect(id) ?? data.rect
    if (!this.shouldMount(id, rect)) {
      this.unmount(id)
      return
    }
    let view = this.views.get(id)
    if (!view) {
      view = createNoteView(id)
      this.views.set(id, view)
    }
    if (!view.mounted) {
      this.el.append(view.el)
      view.mounted = true
    }
    this.paint(view, data, rect)
  }

  private paint(view: NoteView, data: NoteData, rect: Rect): void {
    const { selection, editingId, isReadOnly } = this.canvas
    const selected = selection.has(data.id)
    const offset = this.remote.offset(data.id)
    const changeable = !isReadOnly && this.canvas.mayChange(data)
    paintNote(view, data, rect, {
      selected,
      editing: editingId === data.id,
      found: this.canvas.search.found.has(data.id),
      current: this.canvas.search.current === data.id,
      dimmed: this.canvas.search.dim && !this.canvas.search.found.has(data.id),
      moving: this.preview.has(data.id) || offset !== undefined,
      resizable: selected && selection.size === 1 && changeable,
      changeable,
      lifted: this.preview.has(data.id),
      anonymous: this.anonymous,
      editor: this.remote.editor(data.id),
      mover: offset,
      picture: data.imageId ? this.canvas.picture(data.imageId) : null,
    })
    this.decorate?.(data, view.el)
    view.el.classList.toggle('is-folded-away', this.folded.has(data.id))
  }

  private shouldMount(id: string, rect: Rect): boolean {
    if (this.canvas.selection.has(id) || this.canvas.editingId === id || this.preview.has(id)) return true
    const view = this.views.get(id)
    if (view && view.el.contains(document.activeElement)) return true
    return intersects(rect, this.mountArea())
  }

  /** The board area where notes are mounted, from the measured size: never a layout read inside a loop of DOM writes. */
  private mountArea(): Rect {
    if (this.area) return this.area
    const { width, height } = this.canvas.size
    const [x, y, w, hgt] = visibleRect(this.canvas.view, width || 1280, height || 800)
    this.area = [x - w * MOUNT_MARGIN, y - hgt * MOUNT_MARGIN, w * (1 + 2 * MOUNT_MARGIN), hgt * (1 + 2 * MOUNT_MARGIN)]
    return this.area
  }

  private unmount(id: string): void {
    const view = this.views.get(id)
    if (view?.mounted) {
      view.el.remove()
      view.mounted = false
    }
  }
}
