/** The groups (themes) on the canvas: a frame around each group's notes with its title bar (title, count, fold, rename, ungroup, votes), or, folded, a card with its title and count (the canvas hides its notes). */
import { bindAttr, bindText, t } from '../i18n'
import { h } from '../lib/dom'
import type { Rect } from './geometry'
import type { GroupData } from './groups'
import { placeBox } from './note-look'

/** Board units around a group's notes, and the height of its title bar above them. */
export const GROUP_MARGIN = 12
export const GROUP_BAR = 34
const FOLDED_SIZE: [number, number] = [240, 72]

/** The frame drawn around a group's notes (`notesRect`): a margin, and the title bar above. */
export function groupFrame([x, y, w, hgt]: Rect): Rect {
  return [x - GROUP_MARGIN, y - GROUP_MARGIN - GROUP_BAR, w + 2 * GROUP_MARGIN, hgt + 2 * GROUP_MARGIN + GROUP_BAR]
}

/** Where a group is drawn: a frame around its notes, or a card (folded, or without notes). */
export interface GroupArea {
  id: string
  rect: Rect
  card: boolean
}

export interface GroupShown {
  group: GroupData
  /** The smallest rectangle holding its notes, null when it has none on the board. */
  notesRect: Rect | null
  count: number
  mayChange: boolean
}

export interface GroupHandlers {
  fold(id: string, folded: boolean): void
  rename(id: string, title: string): void
  ungroup(id: string): void
  /** Fills a box with the votes on the group as a whole; false: nothing to show. */
  votes(id: string, box: HTMLElement): boolean
  /** The title field was left with the keyboard (Enter, Escape): the focus goes back to the board. */
  renameDone(): void
}

export class GroupsLayer {
  readonly el = h('div', { class: 'groups-layer' })
  private renaming: string | null = null
  /** Where each group's frame last stood: a group whose last note left shows there, empty. */
  private readonly lastPlace = new Map<string, [number, number]>()

  constructor(private readonly handlers: GroupHandlers) {}

  /** Draws the groups; returns where each is drawn on the board. */
  render(shown: GroupShown[], origin: [number, number]): GroupArea[] {
    // An input being typed in is kept: re-rendering would drop what is being typed.
    const keep = this.renaming ? this.el.querySelector<HTMLElement>(`[data-group="${CSS.escape(this.renaming)}"]`) : null
    const els = shown.map((item) => (keep && item.group.id === this.renaming ? this.place(keep, item, origin) : this.frame(item, origin)))
    // Without detaching the kept frame: a field taken out of the page loses its focus.
    for (const child of [...this.el.children]) if (!els.includes(child as HTMLElement)) child.remove()
    els.forEach((el, index) => {
      const there = this.el.children[index] ?? null
      if (there !== el) this.el.insertBefore(el, there)
    })
    return shown.map(({ group, notesRect }) => ({ id: group.id, rect: this.area(group, notesRect, origin), card: group.folded || notesRect === null }))
  }

  /** A frame around the notes, or a card where they last were (folded, or empty). */
  private area(group: GroupData, notesRect: Rect | null, origin: [number, number]): Rect {
    if (notesRect && !group.folded) return groupFrame(notesRect)
    const [x, y] = this.lastPlace.get(group.id) ?? origin
    return [x, y, ...FOLDED_SIZE]
  }

  private place(el: HTMLElement, { group, notesRect }: GroupShown, origin: [number, number]): HTMLElement {
    if (notesRect) this.lastPlace.set(group.id, [notesRect[0] - GROUP_MARGIN, notesRect[1] - GROUP_MARGIN - GROUP_BAR])
    placeBox(el, this.area(group, notesRect, origin))
    return el
  }

  private frame(item: GroupShown, origin: [number, number]): HTMLElement {
    const { group, count, mayChange } = item
    const empty = count === 0
    const title = h('span', { class: 'group__title', text: group.title || t('group.untitled') })
    // An empty theme says so: its notes were taken out (Ctrl+Z puts them back) or deleted.
    const countEl = bindText(h('span', { class: 'group__count', attrs: { 'data-count': count } }), empty ? 'group.empty' : 'group.count', { count })
    const bar = h('div', { class: 'group__bar', attrs: { 'data-group-bar': group.id } }, [title, countEl])
    const votes = h('div', { class: 'group__votes' })
    if (this.handlers.votes(group.id, votes)) bar.append(votes)
    if (mayChange) {
      const fold = h('button', {
        class: 'group__button group__fold',
        attrs: { type: 'button', 'aria-expanded': String(!group.folded) },
        text: group.folded ? '▸' : '▾',
        on: { click: () => this.handlers.fold(group.id, !group.folded) },
      })
      bindAttr(fold, 'aria-label', group.folded ? 'group.unfold' : 'group.fold')
      bindAttr(fold, 'title', group.folded ? 'group.unfold' : 'group.fold')
      const rename = h('button', { class: 'group__button group__rename', attrs: { type: 'button' }, text: '✎', on: { click: () => this.startRename(group, title) } })
      bindAttr(rename, 'aria-label', 'group.rename')
      bindAttr(rename, 'title', 'group.rename')
      const ungroup = h('button', { class: 'group__button group__ungroup', attrs: { type: 'button' }, on: { click: () => this.handlers.ungroup(group.id) } })
      bindText(ungroup, empty ? 'group.deleteEmpty' : 'group.ungroup')
      if (empty) bar.append(rename, ungroup)
      else bar.append(fold, rename, ungroup)
    }
    const classes = `group${group.folded ? ' is-folded' : ''}${empty ? ' is-empty' : ''}`
    const el = h('div', { class: classes, attrs: { 'data-group': group.id } }, [bar])
    return this.place(el, item, origin)
  }

  /** The title becomes a field: Enter or leaving it renames, Escape cancels. */
  startRename(group: GroupData, title: HTMLElement | null = null): void {
    const shown = title ?? this.el.querySelector<HTMLElement>(`[data-group="${CSS.escape(group.id)}"] .group__title`)
    if (!shown) return
    this.renaming = group.id
    const input = h('input', { class: 'group__title-input', attrs: { type: 'text', maxlength: 200, value: group.title } })
    bindAttr(input, 'aria-label', 'group.titleLabel')
    let done = false
    const finish = (save: boolean): void => {
      if (done) return
      done = true
      this.renaming = null
      const value = input.value.trim()
      if (save && value) this.handlers.rename(group.id, value)
      else input.replaceWith(shown)
    }
    input.addEventListener('keydown', (event) => {
      event.stopPropagation()
      if (event.key !== 'Enter' && event.key !== 'Escape') return
      finish(event.key === 'Enter')
      this.handlers.renameDone()
    })
    input.addEventListener('blur', () => finish(true))
    shown.replaceWith(input)
    input.focus()
    input.select()
  }
}
