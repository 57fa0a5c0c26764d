/** The list view's themes (groups of notes): a section per theme, before the zones, with its notes, count and votes; folded themes keep their notes folded away, and those who may change a theme rename and fold it here, with the keyboard. */
import { bindAttr, bindText, t } from '../../i18n'
import { type GroupData, MAX_GROUP_TITLE } from '../../board/groups'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import { fillVoteBox } from './facilitation/note-votes'
import { asVotable } from './group-controls'

type Cast = (id: string, delta: 1 | -1) => void

interface ThemeSection {
  section: HTMLElement
  title: HTMLElement
  count: HTMLElement
  state: HTMLElement
  votes: HTMLDivElement
  actions: HTMLDivElement
  list: HTMLUListElement
  group: GroupData
}

export class ListThemes {
  readonly el = h('div', { class: 'list-themes' })
  private readonly sections = new Map<string, ThemeSection>()
  /** The theme whose title is being typed: not rebuilt under the person's fingers. */
  private renaming: string | null = null

  /** The list key of a theme's notes (zone ids and theme ids never meet: one prefix). */
  static key(groupId: string): string {
    return `theme:${groupId}`
  }

  /** The theme id of a list key, null for a zone's. */
  static themeOf(key: string): string | null {
    return key.startsWith('theme:') ? key.slice(6) : null
  }

  constructor(private readonly session: BoardSession, private readonly cast: Cast) {}

  /** The list holding a theme's notes, for a key of `ListThemes.key`; null for any other key. */
  listOf(key: string): HTMLUListElement | null {
    const id = ListThemes.themeOf(key)
    return id === null ? null : (this.sections.get(id)?.list ?? null)
  }

  /** One section per theme, oldest first; kept sections keep their notes (and the focus). */
  render(): void {
    const groups = this.session.groups.all()
    const ids = new Set(groups.map((g) => g.id))
    for (const [id, shown] of this.sections) {
      if (ids.has(id)) continue
      shown.section.remove()
      this.sections.delete(id)
    }
    groups.forEach((group, index) => {
      let shown = this.sections.get(group.id)
      if (!shown) {
        shown = this.create(group)
        this.sections.set(group.id, shown)
      }
      shown.group = group
      this.paint(shown)
      const there = this.el.children[index] ?? null
      if (there !== shown.section) this.el.insertBefore(shown.section, there)
    })
  }

  private create(group: GroupData): ThemeSection {
    const headingId = `list-theme-${group.id}`
    const title = h('span', { class: 'list-theme__title' })
    const count = h('span', { class: 'list-zone__count' })
    const state = h('span', { class: 'list-theme__state' })
    const heading = h('h3', { attrs: { id: headingId } }, [bindText(h('span', { class: 'list-theme__kind' }), 'list.theme'), ' ', title, ' ', count, ' ', state])
    const votes = h('div', { class: 'list-note__votes list-theme__votes' })
    const actions = h('div', { class: 'list-note__actions list-theme__actions' })
    const list = h('ul', { class: 'list-zone__notes', attrs: { 'aria-labelledby': headingId } })
    const section = h('section', { class: 'list-zone list-theme', attrs: { 'data-theme': group.id } }, [heading, votes, actions, list])
    return { section, title, count, state, votes, actions, list, group }
  }

  private paint(shown: ThemeSection): void {
    const { group } = shown
    if (this.renaming !== group.id) shown.title.textContent = group.title || t('group.untitled')
    if (group.folded) bindText(shown.state, 'list.themeFolded')
    else {
      // No text at all when open: the heading is read whole, hidden parts included.
      shown.state.removeAttribute('data-i18n')
      shown.state.textContent = ''
    }
    // Folded on the board, folded here: the heading and its count say what is there.
    shown.list.hidden = group.folded
    shown.section.classList.toggle('is-folded', group.folded)
    this.paintVotesOf(shown)
    if (this.renaming !== group.id) this.paintActions(shown)
  }

  private paintVotesOf(shown: ThemeSection): void {
    const name = shown.group.title || t('group.untitled')
    shown.votes.hidden = !fillVoteBox(shown.votes, this.session, asVotable(shown.group.id), this.cast, name, true)
  }

  paintVotes(): void {
    for (const shown of this.sections.values()) this.paintVotesOf(shown)
  }

  /** Each theme's number of notes, from the list's own count of its items. */
  paintCounts(counts: ReadonlyMap<string, number>): void {
    for (const [id, shown] of this.sections) bindText(shown.count, 'list.count', { count: counts.get(ListThemes.key(id)) ?? 0 })
  }

  private mayChange(group: GroupData): boolean {
    return this.session.canWrite() && this.session.mayChangeGroup(group)
  }

  /** "Renommer" and "Replier" / "Déplier", named after the theme, for its maker and the facilitators. */
  private paintActions(shown: ThemeSection): void {
    const { group } = shown
    if (!this.mayChange(group)) {
      shown.actions.replaceChildren()
      return
    }
    const name = group.title || t('group.untitled')
    const rename = bindText(h('button', { class: 'button button--small', attrs: { type: 'button', 'data-theme-rename': group.id }, on: { click: () => this.startRename(shown) } }), 'list.themeRename')
    bindAttr(rename, 'aria-label', 'list.themeRenameNamed', { title: name })
    const fold = bindText(h('button', { class: 'button button--small', attrs: { type: 'button', 'aria-expanded': String(!group.folded) }, on: { click: () => this.fold(group.id, !group.folded) } }), group.folded ? 'group.unfold' : 'group.fold')
    shown.actions.replaceChildren(rename, fold)
  }

  private fold(id: string, folded: boolean): void {
    this.session.commands.changeGroup(id, () => this.session.groups.setFolded(id, folded))
    // The button was replaced: the focus goes to its successor.
    this.render()
    this.sections.get(id)?.actions.querySelectorAll('button')[1]?.focus()
  }

  /** The title becomes a field: Enter saves, Escape cancels; the focus comes back to "Renommer". */
  private startRename(shown: ThemeSection): void {
    const { group } = shown
    this.renaming = group.id
    const input = h('input', { class: 'list-theme__input', attrs: { type: 'text', maxlength: MAX_GROUP_TITLE, value: group.title } })
    bindAttr(input, 'aria-label', 'group.titleLabel')
    const save = bindText(h('button', { class: 'button button--small button--primary', attrs: { type: 'button' } }), 'list.done')
    let done = false
    const finish = (keep: boolean): void => {
      if (done) return
      done = true
      this.renaming = null
      const value = input.value.trim()
      if (keep && value && value !== group.title) this.session.commands.changeGroup(group.id, () => this.session.groups.rename(group.id, value))
      const now = this.sections.get(group.id)
      if (!now) return
      this.paint(now)
      now.actions.querySelector<HTMLButtonElement>('[data-theme-rename]')?.focus()
    }
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault()
        finish(true)
      } else if (event.key === 'Escape') {
        event.preventDefault()
        finish(false)
      }
    })
    save.addEventListener('click', () => finish(true))
    shown.actions.replaceChildren(input, save)
    input.focus()
    input.select()
  }
}
