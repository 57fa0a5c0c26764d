/** "Rechercher" (and the "?" of the shortcuts beside it): finds notes as one types (text, author, colour, zone), says how many, Enter goes to the next one; "Estomper les autres" dims the rest. */
import { bindAttr, bindText, onLocaleChange, t } from '../../i18n'
import { zoneOf } from '../../board/geometry'
import type { FoundNotes } from '../../board/note-layer'
import { type SearchableNote, nextFound, searchNotes } from '../../board/note-search'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import { zoneName } from '../../session/note-commands'

/** Where the found notes are shown: the canvas (marks, the view centred on one) or the list view. */
export interface SearchTarget {
  setSearch(search: FoundNotes): void
  /** Brings a found note into view (Enter). */
  showFound(id: string): void
}

export class SearchBar {
  readonly el: HTMLElement
  private readonly input: HTMLInputElement
  private readonly dimBox: HTMLInputElement
  private readonly status = h('span', { class: 'search__status', attrs: { role: 'status', 'aria-live': 'polite' } })
  private found: string[] = []
  private current: string | null = null

  /** `help`: the list of shortcuts, whose "?" button sits at the end of the search (the toolbar is full). */
  /** `place`: 'board' floats over the canvas, 'list' sits at the top of the list view. */
  constructor(private readonly session: BoardSession, private readonly target: SearchTarget, help: () => void, place: 'board' | 'list' = 'board') {
    this.input = h('input', { class: 'search__field', attrs: { type: 'search', role: 'searchbox', autocomplete: 'off', spellcheck: 'false' } })
    bindAttr(this.input, 'aria-label', 'search.label')
    bindAttr(this.input, 'placeholder', 'search.label')
    this.input.addEventListener('input', () => this.update())
    this.input.addEventListener('keydown', this.onKeyDown)
    this.dimBox = h('input', { attrs: { type: 'checkbox' } })
    this.dimBox.addEventListener('change', () => this.paint())
    const dim = h('label', { class: 'search__dim' }, [this.dimBox, bindText(h('span'), 'search.dim')])
    const helpButton = h('button', { class: 'button button--icon', attrs: { type: 'button', 'aria-keyshortcuts': '?' }, on: { click: help }, text: '?' })
    bindAttr(helpButton, 'aria-label', 'shortcuts.button')
    bindAttr(helpButton, 'title', 'shortcuts.button')
    this.el = h('div', { class: `search search--${place}` }, [h('div', { class: 'search__box', attrs: { role: 'search' } }, [this.input, dim, this.status]), helpButton])
    // The board changes under a search: what is found is looked for again.
    session.on('notes', () => this.refresh())
    session.on('model', () => this.refresh())
    session.on('layout', () => this.refresh())
    onLocaleChange(() => this.update())
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter') {
      event.preventDefault()
      this.current = nextFound(this.found, this.current, event.shiftKey)
      this.paint()
      if (this.current) this.target.showFound(this.current)
    } else if (event.key === 'Escape' && this.input.value) {
      event.preventDefault()
      event.stopPropagation()
      this.input.value = ''
      this.update()
    }
  }

  private refresh(): void {
    if (this.input.value.trim()) this.update(false)
  }

  /** Looks again; `say`: the count is announced (typing), not on every change of the board. */
  private update(say = true): void {
    const { session } = this
    const anonymous = session.meta.anonymous
    const notes: SearchableNote[] = session.model.all().map((note) => {
      const zone = zoneOf(note.rect, session.zones)
      return {
        id: note.id, text: note.text, author: anonymous ? '' : note.author, rect: note.rect,
        colorNames: [t(`color.${note.color}`), note.color], zone: zone ? zoneName(zone) : '',
      }
    })
    const query = this.input.value
    this.found = searchNotes(notes, query)
    if (this.current && !this.found.includes(this.current)) this.current = null
    const text = query.trim() ? t('search.count', { count: this.found.length }) : ''
    if (say || this.status.textContent !== text) this.status.textContent = text
    this.paint()
  }

  private paint(): void {
    const searching = this.input.value.trim() !== ''
    this.target.setSearch({ found: new Set(this.found), current: this.current, dim: searching && this.dimBox.checked })
  }
}
