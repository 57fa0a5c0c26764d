/** The board as a list: zones as sections, notes as items, in reading order, with edit and delete buttons. */
// Works with the keyboard and a screen reader (RGAA), and helps anyone who prefers reading to
// scanning a canvas. Items are updated in place, so focus stays put while others add notes.
import { bindAttr, bindText, onLocaleChange, t } from '../../i18n'
import { zoneOf } from '../../board/geometry'
import type { NoteData, NotesModel, Zone } from '../../board/model'
import { TextBinding } from '../../board/text-binding'
import { voteErrorKey } from '../../facilitation/votes'
import type { FoundNotes } from '../../board/note-layer'
import { h } from '../../lib/dom'
import { fillWithLinks } from '../../lib/links'
import type { BoardSession } from '../../session/board-session'
import { zoneName } from '../../session/note-commands'
import { fillVoteBox } from './facilitation/note-votes'
import { ListThemes } from './list-themes'
import { type OpenThread, fillTalkBox } from './note-talk'
import type { IdeaForm } from './idea-form'
import { colorWords, sameLegend } from './legend'

interface Item {
  li: HTMLLIElement
  /** An image note's picture (null on a text note: made when the note shows one). */
  picture: HTMLImageElement | null
  text: HTMLParagraphElement
  meta: HTMLParagraphElement
  /** The note's votes: its count when this person may see it, and the buttons to vote. */
  votes: HTMLDivElement
  /** Its reactions and the button to its comments. */
  talk: HTMLDivElement
  actions: HTMLDivElement
  /** The list it is in: its theme's (`ListThemes.key`), else its zone's. */
  zone: string
  data: NoteData
}

const NO_ZONE = ''

export class ListView {
  readonly el: HTMLElement
  private readonly sectionsEl = h('div', { class: 'list-view__sections' })
  private readonly sections = new Map<string, { section: HTMLElement; list: HTMLUListElement; count: HTMLElement }>()
  private readonly items = new Map<string, Item>()
  private model: NotesModel | null = null
  private offModel: (() => void) | null = null
  private zones: Zone[] = []
  private editing: { id: string; binding: TextBinding; textarea: HTMLTextAreaElement } | null = null
  private search: FoundNotes = { found: new Set(), current: null, dim: false }
  /** The themes, before the zones: a note in a theme is listed under it, not under its zone. */
  private readonly themes: ListThemes
  private offGroups: (() => void) | null = null
  private offTalk: (() => void) | null = null
  /** Opens a note's reactions and comments (the board screen's thread panel). */
  openThread: OpenThread = () => {}

  constructor(private readonly session: BoardSession, form: IdeaForm) {
    this.themes = new ListThemes(session, (id, delta) => void this.cast(id, delta))
    const title = bindText(h('h2', { attrs: { id: 'list-view-title', tabindex: -1 } }), 'list.title')
    this.el = h('section', { class: 'list-view', attrs: { 'aria-labelledby': title.id, hidden: true } }, [
      title,
      bindText(h('p', { class: 'list-view__intro' }), 'list.intro'),
      h('details', { class: 'list-view__add' }, [bindText(h('summary', {}), 'list.add'), form.el]),
      this.themes.el,
      this.sectionsEl,
    ])
    session.on('model', (model) => this.setModel(model))
    session.on('layout', ({ zonesChanged }) => {
      if (zonesChanged) this.setZones(session.zones)
    })
    session.on('rights', () => {
      this.refreshPermissions()
      this.refreshThemes()
    })
    // Votes: the list is the screen-reader way in, so it votes and counts like the canvas.
    session.on('votes', (changed) => this.repaintVotes(changed))
    session.on('welcome', () => this.repaintVotes())
    session.on('layout', ({ before }) => {
      if (JSON.stringify(before.facilitation.voting) !== JSON.stringify(session.facilitation.voting)) this.repaintVotes()
    })
    session.on('access', () => this.refreshThemes())
    onLocaleChange(() => this.repaintVotes())
    session.on('rights', () => this.repaintTalk())
    onLocaleChange(() => this.repaintTalk())
    session.pictures.on('changed', (imageId) => {
      for (const item of this.items.values()) if (item.data.imageId === imageId) this.paint(item)
    })
    // A note's colour is said with its legend label: "Rose : frein, par Camille".
    session.on('layout', ({ before }) => {
      if (!sameLegend(before.meta.legend, session.meta.legend)) for (const item of this.items.values()) this.paint(item)
    })
  }

  focusTitle(): void {
    this.el.querySelector<HTMLElement>('h2')?.focus()
  }

  private setModel(model: NotesModel): void {
    this.stopEdit()
    this.offModel?.()
    this.model = model
    for (const item of this.items.values()) item.li.remove()
    this.items.clear()
    this.offModel = model.observe((ids) => {
      if (!this.el.hidden) for (const id of ids) this.update(id)
    })
    // Groups live in the shared notes document, which a new model may come with.
    this.offGroups?.()
    this.offGroups = this.session.groups.observe(() => this.refreshThemes())
    this.offTalk?.()
    this.offTalk = this.session.talk.observe((ids) => this.repaintTalk(ids))
    if (!this.el.hidden) this.renderAll()
  }

  /** Themes made, renamed, folded or undone, or notes moved between them: sections and items follow. */
  private refreshThemes(): void {
    if (this.el.hidden || !this.model) return
    this.themes.render()
    for (const item of this.items.values()) {
      const section = this.sectionOf(item.data)
      if (section !== item.zone) this.move(item, section)
    }
    this.updateCounts()
  }

  private sectionOf(data: NoteData): string {
    const group = data.private ? '' : this.session.groups.groupOf(data.id)
    return group ? ListThemes.key(group) : (zoneOf(data.rect, this.zones)?.id ?? NO_ZONE)
  }

  private setZones(zones: Zone[]): void {
    this.zones = zones
    this.buildSections()
    if (!this.el.hidden) this.renderAll()
  }

  /** Renders everything when shown; while hidden it does no work at all. */
  show(visible: boolean): void {
    this.el.hidden = !visible
    if (visible) this.renderAll()
    else this.stopEdit()
  }

  /** Who may change which note changed: an edit one may no longer make ends, and the buttons follow. */
  private refreshPermissions(): void {
    const editing = this.editing && this.items.get(this.editing.id)
    if (editing && !this.session.mayChangeNote(editing.data)) this.stopEdit()
    for (const item of this.items.values()) if (this.editing?.id !== item.data.id) this.paintActions(item)
  }

  private buildSections(): void {
    this.sections.clear()
    const all: Array<{ id: string; title: string; hint: string }> = this.zones.map((z) => ({
      id: z.id, title: zoneName(z), hint: z.hint,
    }))
    all.push({ id: NO_ZONE, title: '', hint: '' })
    this.sectionsEl.replaceChildren(...all.map((zone) => {
      const heading = h('h3', { attrs: { id: `list-zone-${zone.id || 'none'}` } })
      const titleText = zone.id === NO_ZONE ? bindText(h('span'), this.zones.length ? 'list.noZone' : 'list.allNotes') : h('span', { text: zone.title })
      const count = h('span', { class: 'list-zone__count' })
      heading.append(titleText, ' ', count)
      const list = h('ul', { class: 'list-zone__notes', attrs: { 'aria-labelledby': heading.id } })
      const section = h('section', { class: 'list-zone', attrs: { 'data-zone': zone.id } }, [
        heading,
        zone.hint ? h('p', { class: 'list-zone__hint', text: zone.hint }) : null,
        list,
      ])
      this.sections.set(zone.id, { section, list, count })
      return section
    }))
    for (const item of this.items.values()) item.li.remove()
    this.items.clear()
  }

  private renderAll(): void {
    if (!this.model) return
    if (this.sections.size === 0) this.buildSections()
    this.themes.render()
    const ids = new Set(this.model.ids())
    for (const id of [...this.items.keys()]) if (!ids.has(id)) this.update(id)
    const notes = this.model.all().sort(byReadingOrder)
    for (const note of notes) this.update(note.id, note)
    this.updateCounts()
  }

  private update(id: string, known?: NoteData): void {
    const data = known ?? this.model?.get(id) ?? null
    let item = this.items.get(id)
    if (!data) {
      if (item) {
        if (this.editing?.id === id) this.stopEdit()
        item.li.remove()
        this.items.delete(id)
        this.updateCounts()
      }
      return
    }
    const zone = this.sectionOf(data)
    if (!item) {
      item = this.createItem(data, zone)
      this.items.set(id, item)
      this.insert(item)
    } else if (item.zone !== zone) {
      this.move(item, zone)
    }
    item.data = data
    this.paint(item)
    if (!known) this.updateCounts()
  }

  /** An item goes to another section (zone or theme); the focus in it goes along (to its first button when its buttons change). */
  private move(item: Item, section: string): void {
    const hadFocus = item.li.contains(document.activeElement)
    item.zone = section
    item.li.remove()
    this.insert(item)
    if (this.editing?.id === item.data.id) return
    this.paintActions(item)
    if (hadFocus) item.actions.querySelector<HTMLButtonElement>('button')?.focus()
  }

  private createItem(data: NoteData, zone: string): Item {
    const text = h('p', { class: 'list-note__text' })
    const meta = h('p', { class: 'list-note__meta' })
    const actions = h('div', { class: 'list-note__actions' })
    const votes = h('div', { class: 'list-note__votes' })
    const talk = h('div', { class: 'list-note__talk' })
    const li = h('li', { class: 'list-note', attrs: { 'data-note': data.id } }, [h('span', { class: `list-note__swatch swatch--${data.color}`, attrs: { 'aria-hidden': 'true' } }), text, meta, votes, talk, actions])
    const item: Item = { li, picture: null, text, meta, votes, talk, actions, zone, data }
    this.paintActions(item)
    return item
  }

  private insert(item: Item): void {
    // A theme made in the same change as its notes' groupId: its section is made first.
    if (ListThemes.themeOf(item.zone) !== null && this.themes.listOf(item.zone) === null) this.themes.render()
    const target = this.themes.listOf(item.zone) ?? this.sections.get(item.zone)?.list ?? this.sections.get(NO_ZONE)?.list
    if (!target) return
    // Keep reading order (creation time) inside the zone.
    const after = [...target.children].find((li) => {
      const other = this.items.get((li as HTMLElement).dataset.note ?? '')
      return other !== undefined && byReadingOrder(item.data, other.data) < 0
    })
    target.insertBefore(item.li, after ?? null)
  }

  /** The list's search field found these: marked, and with the filter the others hidden. */
  setSearch(search: FoundNotes): void {
    this.search = search
    for (const item of this.items.values()) this.paintFound(item)
  }

  /** Scrolls a found note into view (the search field's Enter). */
  showFound(id: string): void {
    this.items.get(id)?.li.scrollIntoView({ block: 'center' })
  }

  /** Puts an element (the search field) above the notes. */
  addAboveNotes(el: HTMLElement): void {
    this.themes.el.before(el)
  }

  private paintFound(item: Item): void {
    const found = this.search.found.has(item.data.id)
    item.li.classList.toggle('is-found', found)
    item.li.classList.toggle('is-found-current', this.search.current === item.data.id)
    item.li.hidden = this.search.dim && !found
  }

  private paint(item: Item): void {
    const { data } = item
    this.paintFound(item)
    if (this.editing?.id !== data.id && item.text.textContent !== data.text) {
      if (data.text) fillWithLinks(item.text, data.text, true)
      else item.text.textContent = t(data.imageId ? 'image.alt' : 'note.empty')
    }
    const swatch = item.li.firstElementChild as HTMLElement
    swatch.className = `list-note__swatch swatch--${data.color}`
    const author = this.session.meta.anonymous ? '' : data.author
    bindText(item.meta, author ? 'list.metaWithAuthor' : 'list.meta', { color: colorWords(data.color, this.session.meta.legend), author })
    this.paintPicture(item)
    this.paintVotes(item)
    this.paintTalk(item)
    const [edit, remove] = item.actions.querySelectorAll('button')
    if (edit && remove && this.editing?.id !== data.id) {
      bindAttr(edit, 'aria-label', 'list.editNamed', { text: excerpt(data.text) })
      bindAttr(remove, 'aria-label', 'list.deleteNamed', { text: excerpt(data.text) })
    }
  }

  /** An image note's picture, once fetched, said "Image" before its caption (the item's text). */
  private paintPicture(item: Item): void {
    const { data } = item
    item.li.classList.toggle('list-note--image', data.imageId !== undefined)
    if (!data.imageId) {
      item.picture?.remove()
      item.picture = null
      return
    }
    if (!item.picture) {
      item.picture = h('img', { class: 'list-note__picture', attrs: { alt: '' } })
      item.text.before(item.picture)
    }
    const url = this.session.pictures.url(data.imageId)
    item.picture.hidden = url === null
    if (url !== null && item.picture.getAttribute('src') !== url) item.picture.src = url
    item.picture.alt = t('image.alt')
    if (this.session.pictures.isMissing(data.imageId)) item.meta.append(' ', t('image.missing'))
  }

  private paintVotes(item: Item): void {
    item.votes.hidden = !fillVoteBox(item.votes, this.session, item.data, (id, delta) => void this.cast(id, delta), excerpt(item.data.text))
  }

  /** Votes changed: only the items shown are repainted (all of them when `changed` is absent). */
  private repaintVotes(changed?: Set<string>): void {
    if (this.el.hidden) return
    this.themes.paintVotes()
    for (const item of changed ? [...changed].map((id) => this.items.get(id)) : this.items.values()) if (item) this.paintVotes(item)
  }

  private paintTalk(item: Item): void {
    item.talk.hidden = !fillTalkBox(item.talk, this.session, item.data, (id, from) => this.openThread(id, from), excerpt(item.data.text))
  }

  /** Reactions or comments changed (on these notes; all when absent): only items shown are repainted. */
  private repaintTalk(changed?: Set<string>): void {
    if (this.el.hidden) return
    for (const item of changed ? [...changed].map((id) => this.items.get(id)) : this.items.values()) if (item) this.paintTalk(item)
  }

  private async cast(noteId: string, delta: 1 | -1): Promise<void> {
    const ack = await this.session.castVote(noteId, delta)
    if (ack !== null && !ack.ok) this.session.notify(t(voteErrorKey(ack.code)), 'error')
  }

  /** "Modifier" and "Supprimer", for the notes this person may change only. */
  private paintActions(item: Item): void {
    const id = item.data.id
    if (!this.session.mayChangeNote(item.data)) {
      item.actions.replaceChildren()
      return
    }
    const edit = bindText(h('button', { class: 'button button--small', attrs: { type: 'button' }, on: { click: () => this.startEdit(id) } }), 'list.edit')
    const remove = bindText(h('button', { class: 'button button--small button--danger', attrs: { type: 'button' }, on: { click: () => this.session.commands.deleteNotes([id]) } }), 'list.delete')
    bindAttr(edit, 'aria-label', 'list.editNamed', { text: excerpt(item.data.text) })
    bindAttr(remove, 'aria-label', 'list.deleteNamed', { text: excerpt(item.data.text) })
    item.actions.replaceChildren(edit, remove)
    if (ListThemes.themeOf(item.zone) === null) return
    // In a theme: the keyboard's way to take it out (a pointer drags it out of the frame).
    const leave = bindText(h('button', { class: 'button button--small', attrs: { type: 'button' }, on: { click: () => this.session.commands.leaveGroup(id) } }), 'list.leaveTheme')
    bindAttr(leave, 'aria-label', 'list.leaveThemeNamed', { text: excerpt(item.data.text) })
    item.actions.append(leave)
  }

  private startEdit(id: string): void {
    this.stopEdit()
    const item = this.items.get(id)
    const ytext = this.model?.text(id)
    if (!item || !ytext) return
    if (!this.session.mayChangeNote(item.data)) {
      this.session.commands.refuseChange()
      return
    }
    // No `maxlength`: the browser would cut a long paste silently; the binding cuts it and says so.
    const textarea = h('textarea', { class: 'list-note__editor', attrs: { rows: 4 } })
    bindAttr(textarea, 'aria-label', 'note.editLabel')
    const binding = new TextBinding(textarea, ytext, this.session.limits.maxNoteChars, (dropped) => this.session.commands.textLimit(dropped))
    const done = bindText(h('button', { class: 'button button--small button--primary', attrs: { type: 'button' }, on: { click: () => this.stopEdit(true) } }), 'list.done')
    textarea.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault()
        this.stopEdit(true)
      }
    })
    this.editing = { id, binding, textarea }
    item.text.hidden = true
    item.text.after(textarea)
    item.actions.replaceChildren(done)
    textarea.focus()
  }

  private stopEdit(refocus = false): void {
    const editing = this.editing
    if (!editing) return
    this.editing = null
    editing.binding.destroy()
    editing.textarea.remove()
    const item = this.items.get(editing.id)
    if (!item) return
    item.text.hidden = false
    const data = this.model?.get(editing.id)
    if (data) {
      item.data = data
      this.paint(item)
    }
    this.paintActions(item)
    if (refocus) item.actions.querySelector<HTMLButtonElement>('button')?.focus()
  }

  private updateCounts(): void {
    const counts = new Map<string, number>()
    for (const item of this.items.values()) counts.set(item.zone, (counts.get(item.zone) ?? 0) + 1)
    for (const [id, { count, section }] of this.sections) {
      const n = counts.get(id) ?? 0
      bindText(count, 'list.count', { count: n })
      // The "outside any zone" section only shows when it has notes (or when there are no zones).
      if (id === NO_ZONE) section.hidden = n === 0 && this.zones.length > 0
    }
    this.themes.paintCounts(counts)
  }
}

function byReadingOrder(a: NoteData, b: NoteData): number {
  return a.createdAt - b.createdAt || a.id.localeCompare(b.id)
}

function excerpt(text: string): string {
  const clean = text.trim().replace(/\s+/g, ' ')
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean || '—'
}
