/**
 * The board canvas: zones underneath, sticky notes on top, others' cursors above, drawn with DOM
 * elements and CSS transforms. Renders only what changed, and only what is near the screen, so a
 * 5,000-note board stays smooth on a modest laptop. Input handling lives in interactions.ts.
 */
import { bindAttr, t } from '../i18n'
import { h } from '../ui/dom'
import type { PresenceState } from '../sync/presence'
import { type Rect, bounds, intersects } from './geometry'
import type { NoteData, NotesModel, Zone } from './model'
import { rowLabels } from './row-labels'
import { TextBinding } from './text-binding'
import { type View, fitRect, toScreen, visibleRect, zoomAt } from './viewport'

interface NoteView {
  el: HTMLElement
  text: HTMLElement
  author: HTMLElement
  mounted: boolean
}

interface Editing {
  id: string
  isNew: boolean
  textarea: HTMLTextAreaElement
  binding: TextBinding
}

export interface CanvasHooks {
  onSelectionChange(ids: ReadonlySet<string>): void
  onEditChange(id: string | null): void
  /** An edit ended; `isNew` notes left empty are removed by the caller. */
  onEditEnd(id: string, isNew: boolean): void
  onTextLimit(): void
  onViewChange(): void
}

// Notes this far outside the screen (in screens) stay mounted: a short pan shows no gaps.
const MOUNT_MARGIN = 0.5

export class BoardCanvas {
  readonly el: HTMLElement
  readonly world: HTMLElement
  private readonly zonesLayer: HTMLElement
  private readonly notesLayer: HTMLElement
  private readonly cursorsLayer: HTMLElement
  readonly bandEl: HTMLElement
  private model: NotesModel | null = null
  private offModel: (() => void) | null = null
  private zones: Zone[] = []
  private readonly cache = new Map<string, NoteData>()
  private readonly views = new Map<string, NoteView>()
  private readonly dirty = new Set<string>()
  private frame = 0
  private needsVisibility = true
  private viewState: View = { x: 0, y: 0, zoom: 1 }
  readonly selection = new Set<string>()
  private editing: Editing | null = null
  /** Local live geometry (a drag or resize in progress) that is not written yet. */
  private preview = new Map<string, Rect>()
  private remoteOffsets = new Map<string, { dx: number; dy: number; color: string }>()
  private remoteSizes = new Map<string, { w: number; h: number }>()
  private remoteEditors = new Map<string, { name: string; color: string }>()
  private readonly cursors = new Map<number, HTMLElement>()
  /** The last presence seen, to move cursors with the view between presence updates. */
  private lastOthers = new Map<number, PresenceState>()
  private readOnly = true
  private size = { width: 0, height: 0 }
  private area: Rect | null = null
  private anonymous = false
  maxNoteChars = 2000
  /** Adds what other features show on a note (votes, the private mark), after each paint. */
  decorate: ((data: NoteData, el: HTMLElement) => void) | null = null

  constructor(private readonly hooks: CanvasHooks) {
    this.zonesLayer = h('div', { class: 'zones-layer' })
    this.notesLayer = h('div', { class: 'notes-layer' })
    this.world = h('div', { class: 'world' }, [this.zonesLayer, this.notesLayer])
    this.cursorsLayer = h('div', { class: 'cursors-layer', attrs: { 'aria-hidden': 'true' } })
    this.bandEl = h('div', { class: 'select-band', attrs: { hidden: true } })
    this.el = h('div', { class: 'board-canvas', attrs: { tabindex: 0, role: 'region' } }, [
      this.world,
      this.bandEl,
      this.cursorsLayer,
    ])
    bindAttr(this.el, 'aria-label', 'canvas.label')
    bindAttr(this.el, 'aria-roledescription', 'canvas.roledescription')
    new ResizeObserver(() => {
      this.measure()
      this.setView(this.viewState)
    }).observe(this.el)
  }

  /** Reads the canvas size once (layout read), for the visibility computations. */
  private measure(): { width: number; height: number } {
    const box = this.el.getBoundingClientRect()
    this.size = { width: box.width, height: box.height }
    this.area = null
    return this.size
  }

  get view(): View {
    return this.viewState
  }

  get editingId(): string | null {
    return this.editing?.id ?? null
  }

  get isReadOnly(): boolean {
    return this.readOnly
  }

  note(id: string): NoteData | null {
    return this.cache.get(id) ?? null
  }

  notes(): IterableIterator<NoteData> {
    return this.cache.values()
  }

  /** The geometry shown for a note, including a drag or resize in progress. */
  shownRect(id: string): Rect | null {
    const preview = this.preview.get(id)
    if (preview) return preview
    const note = this.cache.get(id)
    if (!note) return null
    const [x, y, w, h] = note.rect
    const offset = this.remoteOffsets.get(id)
    const size = this.remoteSizes.get(id)
    return [x + (offset?.dx ?? 0), y + (offset?.dy ?? 0), size?.w ?? w, size?.h ?? h]
  }

  setModel(model: NotesModel): void {
    this.stopEdit()
    this.offModel?.()
    this.model = model
    for (const view of this.views.values()) view.el.remove()
    this.views.clear()
    this.cache.clear()
    for (const note of model.all()) this.cache.set(note.id, note)
    for (const id of [...this.selection]) if (!this.cache.has(id)) this.selection.delete(id)
    this.offModel = model.observe((ids) => this.invalidate(ids))
    this.needsVisibility = true
    this.schedule()
  }

  setZones(zones: Zone[]): void {
    this.zones = zones
    this.zonesLayer.replaceChildren(
      ...zones.map((zone) => {
        const el = h('div', { class: `zone${zone.color ? ` zone--${zone.color}` : ''}`, attrs: { 'data-zone': zone.id } }, [
          h('div', { class: 'zone__title', text: zone.title }),
          zone.hint ? h('div', { class: 'zone__hint', text: zone.hint }) : null,
        ])
        placeBox(el, zone.rect)
        return el
      }),
      ...rowLabels(zones).map((label) => {
        const el = h('div', { class: 'zone-row-label', attrs: { 'data-row': label.text }, text: label.text })
        placeBox(el, label.rect)
        return el
      }),
    )
  }

  zoneList(): readonly Zone[] {
    return this.zones
  }

  setReadOnly(readOnly: boolean): void {
    this.readOnly = readOnly
    this.el.classList.toggle('is-read-only', readOnly)
    if (readOnly) this.stopEdit()
    this.invalidate(this.selection)
  }

  setAnonymous(anonymous: boolean): void {
    if (anonymous === this.anonymous) return
    this.anonymous = anonymous
    this.invalidate(this.cache.keys())
  }

  // ---- view ---------------------------------------------------------------------------------

  setView(view: View): void {
    this.viewState = view
    this.area = null
    this.world.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.zoom})`
    this.el.style.setProperty('--zoom', String(view.zoom))
    this.needsVisibility = true
    this.schedule()
    this.hooks.onViewChange()
  }

  panBy(dx: number, dy: number): void {
    this.setView({ ...this.viewState, x: this.viewState.x + dx, y: this.viewState.y + dy })
  }

  zoomBy(factor: number, sx?: number, sy?: number): void {
    const box = this.measure()
    this.setView(zoomAt(this.viewState, factor, sx ?? box.width / 2, sy ?? box.height / 2))
  }

  /** Shows every zone and note. */
  fitContent(maxZoom = 1.2): void {
    const box = this.measure()
    if (box.width === 0 || box.height === 0) return
    const all = bounds([...this.zones.map((z) => z.rect), ...[...this.cache.values()].map((n) => n.rect)])
    this.setView(all ? fitRect(all, box.width, box.height, 32, maxZoom) : { x: box.width / 2 - 400, y: 80, zoom: 1 })
  }

  /** Brings a note into view (keyboard focus may land on one off screen). */
  reveal(id: string): void {
    const rect = this.shownRect(id)
    if (!rect) return
    const box = this.measure()
    const [sx, sy] = toScreen(this.viewState, rect[0], rect[1])
    const sw = rect[2] * this.viewState.zoom
    const sh = rect[3] * this.viewState.zoom
    let dx = 0
    let dy = 0
    if (sx < 16) dx = 16 - sx
    else if (sx + sw > box.width - 16) dx = box.width - 16 - sx - sw
    if (sy < 16) dy = 16 - sy
    else if (sy + sh > box.height - 80) dy = box.height - 80 - sy - sh
    if (dx || dy) this.panBy(dx, dy)
  }

  // ---- selection and editing -----------------------------------------------------------------

  select(ids: Iterable<string>): void {
    const before = new Set(this.selection)
    this.selection.clear()
    for (const id of ids) if (this.cache.has(id)) this.selection.add(id)
    this.invalidate([...before, ...this.selection])
    this.hooks.onSelectionChange(this.selection)
  }

  toggle(id: string): void {
    if (this.selection.has(id)) this.selection.delete(id)
    else this.selection.add(id)
    this.invalidate([id])
    this.hooks.onSelectionChange(this.selection)
  }

  startEdit(id: string, isNew = false): void {
    if (this.readOnly || !this.model) return
    if (this.editing?.id === id) {
      this.editing.textarea.focus()
      return
    }
    this.stopEdit()
    const ytext = this.model.text(id)
    if (!ytext) return
    this.select([id])
    this.renderNow(id)
    const view = this.views.get(id)
    if (!view) return
    const textarea = h('textarea', {
      class: 'note__editor',
      attrs: { maxlength: this.maxNoteChars, spellcheck: 'true' },
    })
    bindAttr(textarea, 'aria-label', 'note.editLabel')
    const binding = new TextBinding(textarea, ytext, this.maxNoteChars, () => this.hooks.onTextLimit())
    this.editing = { id, isNew, textarea, binding }
    view.text.hidden = true
    view.el.insertBefore(textarea, view.author)
    view.el.classList.add('is-editing')
    textarea.addEventListener('blur', () => {
      // Focus moving to the palette or the toolbar keeps the note open only when it comes back.
      queueMicrotask(() => {
        if (this.editing?.textarea === textarea && document.activeElement !== textarea) this.stopEdit()
      })
    })
    this.reveal(id)
    textarea.focus({ preventScroll: true })
    textarea.setSelectionRange(textarea.value.length, textarea.value.length)
    this.hooks.onEditChange(id)
  }

  stopEdit(): void {
    const editing = this.editing
    if (!editing) return
    this.editing = null
    editing.binding.destroy()
    editing.textarea.remove()
    const view = this.views.get(editing.id)
    if (view) {
      view.text.hidden = false
      view.el.classList.remove('is-editing')
    }
    this.invalidate([editing.id])
    this.hooks.onEditChange(null)
    this.hooks.onEditEnd(editing.id, editing.isNew)
  }

  /** Focus a note's element (keyboard users), mounting it first if it was off screen. */
  focusNote(id: string): void {
    this.reveal(id)
    this.renderNow(id)
    this.views.get(id)?.el.focus({ preventScroll: true })
  }

  // ---- live geometry -------------------------------------------------------------------------

  setPreview(preview: Map<string, Rect> | null): void {
    const touched = new Set([...this.preview.keys(), ...(preview?.keys() ?? [])])
    this.preview = preview ?? new Map()
    this.invalidate(touched)
  }

  /** Others' presence: live drags, resizes and editing marks on notes, and their cursors. */
  setRemote(others: Map<number, PresenceState>): void {
    const touched = new Set([...this.remoteOffsets.keys(), ...this.remoteSizes.keys(), ...this.remoteEditors.keys()])
    this.remoteOffsets = new Map()
    this.remoteSizes = new Map()
    this.remoteEditors = new Map()
    for (const state of others.values()) {
      const drag = state.drag
      if (drag && Array.isArray(drag.ids) && Number.isFinite(drag.dx) && Number.isFinite(drag.dy)) {
        for (const id of drag.ids.slice(0, 500)) {
          if (typeof id === 'string') this.remoteOffsets.set(id, { dx: drag.dx, dy: drag.dy, color: String(state.color) })
        }
      }
      const resize = state.resize
      if (resize && typeof resize.id === 'string' && Number.isFinite(resize.w) && Number.isFinite(resize.h)) {
        this.remoteSizes.set(resize.id, { w: resize.w, h: resize.h })
      }
      if (typeof state.editing === 'string') this.remoteEditors.set(state.editing, { name: state.name, color: String(state.color) })
    }
    for (const id of [...this.remoteOffsets.keys(), ...this.remoteSizes.keys(), ...this.remoteEditors.keys()]) touched.add(id)
    this.invalidate(touched)
    this.renderCursors(others)
  }

  private renderCursors(others: Map<number, PresenceState>): void {
    this.lastOthers = others
    for (const [id, el] of this.cursors) {
      if (!others.has(id)) {
        el.remove()
        this.cursors.delete(id)
      }
    }
    for (const [id, state] of others) {
      const cursor = state.cursor
      let el = this.cursors.get(id)
      const valid = Array.isArray(cursor) && cursor.length === 2 && cursor.every(Number.isFinite)
      if (!valid) {
        if (el) el.hidden = true
        continue
      }
      if (!el) {
        el = h('div', { class: 'cursor' }, [h('span', { class: 'cursor__arrow' }), h('span', { class: 'cursor__name' })])
        this.cursors.set(id, el)
        this.cursorsLayer.append(el)
      }
      el.hidden = false
      el.style.setProperty('--peer-color', safeColor(state.color))
      const name = el.lastElementChild as HTMLElement
      if (name.textContent !== state.name) name.textContent = state.name
      const [sx, sy] = toScreen(this.viewState, cursor[0], cursor[1])
      el.style.transform = `translate(${sx}px, ${sy}px)`
    }
  }

  // ---- rendering -----------------------------------------------------------------------------

  invalidate(ids: Iterable<string>): void {
    for (const id of ids) this.dirty.add(id)
    this.schedule()
  }

  private schedule(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.flush()
    })
  }

  /** Renders pending changes now (tests and focus moves cannot wait for the next frame). */
  flush(): void {
    if (this.needsVisibility) {
      this.needsVisibility = false
      this.updateVisibility()
      this.renderCursors(this.lastOthers)
    }
    const ids = [...this.dirty]
    this.dirty.clear()
    for (const id of ids) this.renderNow(id)
  }

  private renderNow(id: string): void {
    const data = this.model?.get(id) ?? null
    if (!data) {
      this.cache.delete(id)
      const view = this.views.get(id)
      if (view) {
        view.el.remove()
        this.views.delete(id)
      }
      if (this.editing?.id === id) this.stopEdit()
      if (this.selection.delete(id)) this.hooks.onSelectionChange(this.selection)
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
      view = this.createView(id)
      this.views.set(id, view)
    }
    if (!view.mounted) {
      this.notesLayer.append(view.el)
      view.mounted = true
    }
    this.paint(view, data, rect)
  }

  private createView(id: string): NoteView {
    const text = h('div', { class: 'note__text' })
    const author = h('div', { class: 'note__author' })
    const el = h('div', { class: 'note', attrs: { 'data-note': id, tabindex: 0, role: 'button' } }, [
      text,
      author,
      h('div', { class: 'note__resize', attrs: { 'aria-hidden': 'true', 'data-resize': id } }),
    ])
    bindAttr(el, 'aria-roledescription', 'note.roledescription')
    return { el, text, author, mounted: false }
  }

  private paint(view: NoteView, data: NoteData, rect: Rect): void {
    const { el } = view
    const selected = this.selection.has(data.id)
    el.className = `note note--${data.color}`
    el.classList.toggle('is-selected', selected)
    el.classList.toggle('is-editing', this.editing?.id === data.id)
    el.classList.toggle('is-moving', this.preview.has(data.id) || this.remoteOffsets.has(data.id))
    el.classList.toggle('is-resizable', selected && this.selection.size === 1 && !this.readOnly)
    placeBox(el, rect)
    el.style.zIndex = String(this.preview.has(data.id) ? 1_000_000 : Math.round(data.z))
    // Text, never HTML: textContent of a text-only element.
    if (view.text.textContent !== data.text) view.text.textContent = data.text
    view.text.classList.toggle('is-empty', data.text === '')
    const authorName = this.anonymous ? '' : data.author
    if (view.author.textContent !== authorName) view.author.textContent = authorName
    el.setAttribute('aria-pressed', selected ? 'true' : 'false')
    const label = data.text.trim() ? data.text.slice(0, 200) : t('note.empty')
    const editor = this.remoteEditors.get(data.id)
    el.setAttribute('aria-label', authorName ? t('note.labelWithAuthor', { text: label, author: authorName }) : label)
    if (editor) {
      el.classList.add('is-remote-editing')
      el.style.setProperty('--peer-color', safeColor(editor.color))
      el.setAttribute('data-editor', t('note.remoteEditing', { name: editor.name }))
    } else {
      el.removeAttribute('data-editor')
    }
    const mover = this.remoteOffsets.get(data.id)
    if (mover && !editor) el.style.setProperty('--peer-color', safeColor(mover.color))
    this.decorate?.(data, el)
  }

  private shouldMount(id: string, rect: Rect): boolean {
    if (this.selection.has(id) || this.editing?.id === id || this.preview.has(id)) return true
    const view = this.views.get(id)
    if (view && view.el.contains(document.activeElement)) return true
    return intersects(rect, this.mountArea())
  }

  /**
   * The board area where notes are mounted. Computed from the measured size (never read from the
   * DOM inside a loop: a layout read between DOM writes, 5,000 times, froze the page).
   */
  private mountArea(): Rect {
    if (this.area) return this.area
    const [x, y, w, hgt] = visibleRect(this.viewState, this.size.width || 1280, this.size.height || 800)
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

  private updateVisibility(): void {
    const area = this.mountArea()
    for (const [id, note] of this.cache) {
      const rect = this.shownRect(id) ?? note.rect
      const mounted = this.views.get(id)?.mounted ?? false
      const wanted = intersects(rect, area) || this.selection.has(id) || this.editing?.id === id
      if (wanted !== mounted) this.dirty.add(id)
    }
  }

  destroy(): void {
    cancelAnimationFrame(this.frame)
    this.stopEdit()
    this.offModel?.()
  }
}

function placeBox(el: HTMLElement, [x, y, w, h]: Rect): void {
  el.style.transform = `translate(${x}px, ${y}px)`
  el.style.width = `${w}px`
  el.style.height = `${h}px`
}

/** Peer colours come from other clients: only a plain hex colour reaches a style property. */
function safeColor(value: unknown): string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value : '#5b5b5b'
}
