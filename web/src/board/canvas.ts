/** The board canvas: zones underneath, notes on top, others' cursors above; the view (pan, zoom), the selection and the note being edited. */
import { bindAttr } from '../i18n'
import { h } from '../lib/dom'
import { Emitter } from '../lib/emitter'
import type { PresenceState } from '../sync/presence'
import { CursorsLayer } from './cursors-layer'
import { type Rect, bounds } from './geometry'
import type { GroupArea } from './groups-layer'
import type { NoteData, NotesModel, Zone } from './model'
import { NoteEditor } from './note-editor'
import { type FoundNotes, NoteLayer } from './note-layer'
import { rowLabels } from './row-labels'
import { type View, fitRectInto, toScreen, zoomAt } from './viewport'
import { ZonesLayer } from './zones-layer'

// Drawn with DOM elements and CSS transforms; input handling lives in pointer-gestures.ts and
// board-keys.ts. Only changed notes are drawn, and only near the screen, so large boards stay smooth.

// Below this zoom, a control of 44 screen pixels (a finger's, WCAG 2.5.5) would take more than 88
// board units, as much as a whole small note: on a touch screen, such controls on the notes are
// hidden (class `is-zoomed-out`) and used from elsewhere (the votes: the list view).
export const FINGER_ZOOM = 0.5

export interface CanvasEvents {
  selection: ReadonlySet<string>
  view: View
  /** The note this person edits, or null when the edit ends. */
  editing: string | null
  /** An edit ended; `isNew` notes left empty are removed by the listener. */
  editEnd: { id: string; isNew: boolean }
  /** Typing went past `maxNoteChars`. */
  /** Text went past the limit and was cut: how many characters were not kept. */
  textLimit: number
  /** The person asked to see everything (the `0` key); the screen decides how (view-fit.ts). */
  fitRequest: void
  /** The person asked for the list of shortcuts (the `?` key); the screen shows it. */
  helpRequest: void
  /** The person asked to group the selection (the `G` key); the screen's "Regrouper" answers. */
  groupRequest: void
  /** A drop made a new group (a note dropped on another): the screen opens its title field. */
  groupMade: string
}

export class BoardCanvas extends Emitter<CanvasEvents> {
  readonly el: HTMLElement
  readonly selection = new Set<string>()
  maxNoteChars = 2000
  private readonly world: HTMLElement
  private readonly bandEl = h('div', { class: 'select-band', attrs: { hidden: true } })
  private readonly zonesLayer = new ZonesLayer()
  private readonly noteLayer: NoteLayer
  private readonly cursors = new CursorsLayer()
  private frame = 0
  private needsVisibility = true
  private viewState: View = { x: 0, y: 0, zoom: 1 }
  private frames: readonly GroupArea[] = []
  private measured = { width: 0, height: 0 }
  private editing: NoteEditor | null = null
  /** The note whose editor stays open through the lock's grace, and when it closes. */
  private grace: { id: string; timer: number } | null = null
  private readOnly = true
  private changeable: (note: NoteData) => boolean = () => false
  private pictures: (imageId: string) => { url: string | null; missing: boolean } = () => ({ url: null, missing: false })
  private uncovered: (() => Rect) | null = null
  private foundNotes: FoundNotes = { found: new Set(), current: null, dim: false }

  constructor() {
    super()
    this.noteLayer = new NoteLayer(this, (id) => this.noteRemoved(id))
    this.world = h('div', { class: 'world' }, [this.zonesLayer.el, this.noteLayer.el])
    this.el = h('div', { class: 'board-canvas', attrs: { tabindex: 0, role: 'region' } }, [this.world, this.bandEl, this.cursors.el])
    bindAttr(this.el, 'aria-label', 'canvas.label')
    bindAttr(this.el, 'aria-roledescription', 'canvas.roledescription')
    new ResizeObserver(() => {
      this.measure()
      this.setView(this.viewState)
    }).observe(this.el)
  }

  get view(): View {
    return this.viewState
  }

  get size(): { width: number; height: number } {
    return this.measured
  }

  get editingId(): string | null {
    return this.editing?.id ?? null
  }

  get isReadOnly(): boolean {
    return this.readOnly
  }

  /** Adds what other features show on a note (votes, the private mark), after each paint. */
  set decorate(decorate: ((data: NoteData, el: HTMLElement) => void) | null) {
    this.noteLayer.decorate = decorate
  }

  get decorate(): ((data: NoteData, el: HTMLElement) => void) | null {
    return this.noteLayer.decorate
  }

  note(id: string): NoteData | null {
    return this.noteLayer.note(id)
  }

  notes(): IterableIterator<NoteData> {
    return this.noteLayer.notes()
  }

  /** The geometry shown for a note, including a drag or resize in progress. */
  shownRect(id: string): Rect | null {
    return this.noteLayer.shownRect(id)
  }

  setModel(model: NotesModel): void {
    this.stopEdit()
    this.noteLayer.setModel(model, (ids) => this.invalidate(ids))
    for (const id of [...this.selection]) if (!this.noteLayer.has(id)) this.selection.delete(id)
    this.needsVisibility = true
    this.schedule()
  }

  get zones(): readonly Zone[] {
    return this.zonesLayer.zones
  }

  /** Hides the notes of folded groups; those whose state changed are painted again. */
  setFolded(ids: ReadonlySet<string>): void {
    const before = this.noteLayer.folded
    this.noteLayer.folded = ids
    this.invalidate([...before, ...ids].filter((id) => before.has(id) !== ids.has(id)))
  }

  /** A layer drawn with the board, above the zones and under the notes (the groups' frames). */
  addUnderlay(el: HTMLElement): void {
    this.world.insertBefore(el, this.noteLayer.el)
  }

  setZones(zones: Zone[]): void {
    this.zonesLayer.set(zones)
  }

  setReadOnly(readOnly: boolean): void {
    this.readOnly = readOnly
    this.el.classList.toggle('is-read-only', readOnly)
    if (!readOnly) this.endLockGrace()
    if (readOnly && !this.isInLockGrace()) this.stopEdit()
    this.invalidate(this.selection)
  }

  /**
   * The board was just locked while this person was writing a note: the editor stays open for
   * `ms` so that they finish their sentence (the server accepts that note's text for a little
   * longer, docs/protocol.md section 7.1), then closes. Returns the note's id, or null.
   */
  keepEditingThroughLock(ms: number): string | null {
    const editing = this.editing
    if (!editing) return null
    this.endLockGrace()
    this.grace = { id: editing.id, timer: window.setTimeout(() => {
      this.endLockGrace()
      const data = this.noteLayer.note(editing.id)
      if (this.readOnly || !data || !this.changeable(data)) this.stopEdit()
    }, ms) }
    editing.textarea.classList.add('is-lock-grace')
    return editing.id
  }

  private isInLockGrace(): boolean {
    return this.grace !== null && this.editing?.id === this.grace.id
  }

  private endLockGrace(): void {
    if (!this.grace) return
    window.clearTimeout(this.grace.timer)
    this.editing?.textarea.classList.remove('is-lock-grace')
    this.grace = null
  }

  /** Which notes this person may change (the others are shown fixed: no resize handle, no move cursor). */
  setRights(mayChange: (note: NoteData) => boolean): void {
    this.changeable = mayChange
    this.rightsChanged()
  }

  /** Who may change which note changed: every note is painted again, and an edit one may no longer make ends. */
  rightsChanged(): void {
    const editing = this.editingId === null ? null : this.noteLayer.note(this.editingId)
    if (editing && !this.changeable(editing) && !this.isInLockGrace()) this.stopEdit()
    this.invalidate([...this.notes()].map((note) => note.id))
  }

  mayChange(note: NoteData): boolean {
    return this.changeable(note)
  }

  /** Where image notes find their pictures (the session fetches them with the board's token). */
  setPictures(source: (imageId: string) => { url: string | null; missing: boolean }): void {
    this.pictures = source
    this.invalidate([...this.notes()].filter((note) => note.imageId).map((note) => note.id))
  }

  picture(imageId: string): { url: string | null; missing: boolean } {
    return this.pictures(imageId)
  }

  /** A picture arrived (or is known missing): the notes showing it are painted again. */
  pictureChanged(imageId: string): void {
    this.invalidate([...this.notes()].filter((note) => note.imageId === imageId).map((note) => note.id))
  }

  setAnonymous(anonymous: boolean): void {
    if (anonymous === this.noteLayer.anonymous) return
    this.noteLayer.anonymous = anonymous
    this.invalidate([...this.notes()].map((note) => note.id))
  }

  get search(): FoundNotes {
    return this.foundNotes
  }

  /** Marks what the search field found (and dims the rest when `dim`); every note changing mark is painted again. */
  setSearch(search: FoundNotes): void {
    const before = this.foundNotes
    this.foundNotes = search
    const changed = before.dim !== search.dim
      ? [...this.notes()].map((note) => note.id)
      : [...before.found, ...search.found, before.current, search.current].filter((id): id is string => id !== null)
    this.invalidate(changed)
  }

  // ---- view ---------------------------------------------------------------------------------

  setView(view: View): void {
    this.viewState = view
    this.noteLayer.viewChanged()
    this.world.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.zoom})`
    this.el.style.setProperty('--zoom', String(view.zoom))
    this.el.classList.toggle('is-zoomed-out', view.zoom < FINGER_ZOOM)
    this.needsVisibility = true
    this.schedule()
    this.emit('view', view)
  }

  panBy(dx: number, dy: number): void {
    this.setView({ ...this.viewState, x: this.viewState.x + dx, y: this.viewState.y + dy })
  }

  zoomBy(factor: number, sx?: number, sy?: number): void {
    const box = this.measure()
    this.setView(zoomAt(this.viewState, factor, sx ?? box.width / 2, sy ?? box.height / 2))
  }

  /**
   * Which part of the canvas no floating bar covers (screen pixels from its top left): fits and
   * `reveal` stay inside it. The screen that lays the bars out provides it.
   */
  setUncovered(provider: () => Rect): void {
    this.uncovered = provider
  }

  /** The part of the canvas no floating bar covers, measured now. */
  uncoveredArea(): Rect {
    const box = this.measure()
    return this.uncovered?.() ?? [0, 0, box.width, box.height]
  }

  /** Asks the screen to list the shortcuts (the `?` key). */
  requestHelp(): void {
    this.emit('helpRequest')
  }

  /** Asks the screen to show everything (view-fit.ts answers). */
  requestFit(): void {
    this.emit('fitRequest')
  }

  /** Asks the screen to group the selected notes (the `G` key). */
  requestGroup(): void {
    this.emit('groupRequest')
  }

  /** A drop made this new group: the screen lets the person name it at once. */
  groupMade(id: string): void {
    this.emit('groupMade', id)
  }

  /** The note drawn on top at a board point, leaving out `except` and the notes of folded groups; null if none. */
  noteAt(x: number, y: number, except: ReadonlySet<string>): string | null {
    let top: NoteData | null = null
    for (const note of this.notes()) {
      if (except.has(note.id) || this.noteLayer.folded.has(note.id)) continue
      const [nx, ny, nw, nh] = note.rect
      if (x >= nx && x <= nx + nw && y >= ny && y <= ny + nh && (top === null || note.z >= top.z)) top = note
    }
    return top?.id ?? null
  }

  /** The groups' frames and cards (groups-layer.ts), which a fit shows whole (their title bar sits above the notes) and a drop may target. */
  setFrames(frames: readonly GroupArea[]): void {
    this.frames = frames
  }

  /** The group drawn as a card (folded, or without notes) at a board point, null if none: a note dropped there joins it. */
  cardAt(x: number, y: number): GroupArea | null {
    for (const area of this.frames) {
      const [cx, cy, cw, ch] = area.rect
      if (area.card && x >= cx && x <= cx + cw && y >= cy && y <= cy + ch) return area
    }
    return null
  }

  /** Every zone, row label, note and group frame, in board units; null on an empty board. */
  contentBounds(): Rect | null {
    const zones = this.zonesLayer.zones
    return bounds([...zones.map((z) => z.rect), ...rowLabels(zones).map((label) => label.rect), ...[...this.notes()].map((n) => n.rect), ...this.frames.map((f) => f.rect)])
  }

  /**
   * Shows every zone and note within `area` (screen pixels from the canvas's top left; the whole
   * canvas when not given), with `padding` around them.
   */
  fitContent(maxZoom = 1.2, area?: Rect, padding = 32): void {
    const box = this.measure()
    if (box.width === 0 || box.height === 0) return
    const within = area ?? this.uncoveredArea()
    const all = this.contentBounds()
    this.setView(all ? fitRectInto(all, within, padding, maxZoom) : { x: within[0] + within[2] / 2 - 400, y: within[1] + 80, zoom: 1 })
  }

  /** Fits the selected notes into the uncovered area, up to 200 % (the `Z` key, "Voir la sélection"). */
  zoomToSelection(): void {
    const box = bounds([...this.selection].map((id) => this.shownRect(id)).filter((rect): rect is Rect => rect !== null))
    if (box) this.setView(fitRectInto(box, this.uncoveredArea(), 48, 2))
  }

  /** Centres a note in the uncovered area, zooming in to 100 % when the view is further out (a search's Enter). */
  centreOn(id: string): void {
    const rect = this.shownRect(id)
    if (!rect) return
    const [left, top, width, height] = this.uncoveredArea()
    const zoom = Math.max(this.viewState.zoom, 1)
    this.setView({ zoom, x: left + width / 2 - (rect[0] + rect[2] / 2) * zoom, y: top + height / 2 - (rect[1] + rect[3] / 2) * zoom })
  }

  /** Brings a note into view (keyboard focus may land on one off screen). */
  reveal(id: string): void {
    const rect = this.shownRect(id)
    if (!rect) return
    const [left, top, width, height] = this.uncoveredArea()
    const [sx, sy] = toScreen(this.viewState, rect[0], rect[1])
    const sw = rect[2] * this.viewState.zoom
    const sh = rect[3] * this.viewState.zoom
    let dx = 0
    let dy = 0
    if (sx < left + 16) dx = left + 16 - sx
    else if (sx + sw > left + width - 16) dx = left + width - 16 - sx - sw
    if (sy < top + 16) dy = top + 16 - sy
    else if (sy + sh > top + height - 16) dy = top + height - 16 - sy - sh
    if (dx || dy) this.panBy(dx, dy)
  }

  // ---- selection and editing -----------------------------------------------------------------

  select(ids: Iterable<string>): void {
    const before = new Set(this.selection)
    this.selection.clear()
    for (const id of ids) if (this.noteLayer.has(id)) this.selection.add(id)
    this.invalidate([...before, ...this.selection])
    this.emit('selection', this.selection)
  }

  toggle(id: string): void {
    if (this.selection.has(id)) this.selection.delete(id)
    else this.selection.add(id)
    this.invalidate([id])
    this.emit('selection', this.selection)
  }

  startEdit(id: string, isNew = false): void {
    if (this.readOnly) return
    if (this.editing?.id === id) {
      this.editing.textarea.focus()
      return
    }
    this.stopEdit()
    const text = this.noteLayer.text(id)
    if (!text) return
    this.select([id])
    this.noteLayer.renderNow(id)
    const view = this.noteLayer.view(id)
    const data = this.noteLayer.note(id)
    if (!view || !data || !this.changeable(data)) return
    const editor = new NoteEditor(id, isNew, view, text, this.maxNoteChars, (dropped) => this.emit('textLimit', dropped))
    this.editing = editor
    editor.textarea.addEventListener('blur', () => {
      // Focus moving to the palette or the toolbar keeps the note open only when it comes back.
      queueMicrotask(() => {
        if (this.editing === editor && document.activeElement !== editor.textarea) this.stopEdit()
      })
    })
    this.reveal(id)
    editor.focusAtEnd()
    this.emit('editing', id)
  }

  stopEdit(): void {
    const editing = this.editing
    if (!editing) return
    this.endLockGrace()
    this.editing = null
    editing.close(this.noteLayer.view(editing.id))
    this.invalidate([editing.id])
    this.emit('editing', null)
    this.emit('editEnd', { id: editing.id, isNew: editing.isNew })
  }

  /** Focus a note's element (keyboard users), mounting it first if it was off screen. */
  focusNote(id: string): void {
    this.reveal(id)
    this.noteLayer.renderNow(id)
    this.noteLayer.view(id)?.el.focus({ preventScroll: true })
  }

  // ---- live geometry -------------------------------------------------------------------------

  setPreview(preview: Map<string, Rect> | null): void {
    this.invalidate(this.noteLayer.setPreview(preview))
  }

  /** Others' presence: live drags, resizes and editing marks on notes, and their cursors. */
  setRemote(others: Map<number, PresenceState>): void {
    this.invalidate(this.noteLayer.setRemote(others))
    this.cursors.render(others, this.viewState)
  }

  /** The selection rectangle of a shift-drag, in board units; null hides it. */
  showBand(rect: Rect | null): void {
    const band = this.bandEl
    if (!rect) {
      band.hidden = true
      return
    }
    const { x, y, zoom } = this.viewState
    band.hidden = false
    band.style.transform = `translate(${rect[0] * zoom + x}px, ${rect[1] * zoom + y}px)`
    band.style.width = `${rect[2] * zoom}px`
    band.style.height = `${rect[3] * zoom}px`
  }

  // ---- rendering -----------------------------------------------------------------------------

  invalidate(ids: Iterable<string>): void {
    this.noteLayer.markDirty(ids)
    this.schedule()
  }

  /** Renders pending changes now (tests and focus moves cannot wait for the next frame). */
  flush(): void {
    if (this.needsVisibility) {
      this.needsVisibility = false
      this.noteLayer.updateVisibility()
      this.cursors.redraw(this.viewState)
    }
    this.noteLayer.renderDirty()
  }

  private schedule(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.flush()
    })
  }

  /** Reads the canvas size once (a layout read), for the visibility computations. */
  private measure(): { width: number; height: number } {
    const box = this.el.getBoundingClientRect()
    this.measured = { width: box.width, height: box.height }
    this.noteLayer.viewChanged()
    return this.measured
  }

  private noteRemoved(id: string): void {
    if (this.editing?.id === id) this.stopEdit()
    if (this.selection.delete(id)) this.emit('selection', this.selection)
  }
}
