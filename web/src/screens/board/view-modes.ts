/** Which view of the board is shown (the canvas, the list, or "Ajouter une idée"), with its tabs and the phone's add button. */
import { type Key, bindAttr, bindText } from '../../i18n'
import type { BoardCanvas } from '../../board/canvas'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import { Role } from '../../sync/protocol'
import type { ListView } from './list-view'
import type { PhoneScreen } from './phone-screen'
import type { Toolbar } from './toolbar'

export type Mode = 'board' | 'list' | 'phone'

const PHONE_QUERY = '(max-width: 640px)'

export class ViewModes {
  /** The tabs, for the top bar. */
  readonly tabs: HTMLElement
  /** "Ajouter une idée" on a phone, first in the toolbar (board-screen.ts puts it there). */
  readonly addButton: HTMLButtonElement
  private mode: Mode = 'board'
  private readonly boardTab = tabButton('view.board', () => this.set('board'))
  private readonly listTab = tabButton('view.list', () => this.set('list'))
  private readonly addIdeaTab = tabButton('view.addIdea', () => this.set('phone'))

  constructor(
    private readonly session: BoardSession,
    private readonly canvas: BoardCanvas,
    private readonly list: ListView,
    private readonly phone: PhoneScreen,
    private readonly toolbar: Toolbar,
  ) {
    this.addButton = bindText(h('button', { class: 'button add-idea', attrs: { type: 'button', hidden: true }, on: { click: () => this.set('phone') } }), 'view.addIdea')
    this.tabs = h('nav', { class: 'view-switch' }, [this.boardTab, this.listTab, this.addIdeaTab])
    bindAttr(this.tabs, 'aria-label', 'view.label')
    // The role or the lock decide whether "Ajouter une idée" is offered (the focus stays put: a
    // lock must not take it from someone finishing an idea in the list view).
    session.on('access', () => this.set(this.mode, false))
    matchMedia(PHONE_QUERY).addEventListener('change', () => this.set(this.mode))
  }

  get current(): Mode {
    return this.mode
  }

  /** `focus`: move the focus into the view shown (a person chose it). */
  set(next: Mode, focus = true): void {
    // The phone's form stays through the lock's grace, for the idea being written there.
    const writable = this.session.canWrite() || (next === 'phone' && this.phone.inGrace())
    if (next === 'phone' && !writable) next = 'board'
    this.mode = next
    this.canvas.el.hidden = next !== 'board'
    this.list.show(next === 'list')
    this.phone.el.hidden = next !== 'phone'
    this.toolbar.el.hidden = next !== 'board' || this.session.role === Role.OBSERVER
    this.addButton.hidden = !(next === 'board' && isPhone() && writable)
    this.boardTab.setAttribute('aria-pressed', String(next === 'board'))
    this.listTab.setAttribute('aria-pressed', String(next === 'list'))
    this.addIdeaTab.setAttribute('aria-pressed', String(next === 'phone'))
    this.addIdeaTab.hidden = !writable
    if (next === 'board') this.canvas.flush()
    if (focus && next === 'phone') queueMicrotask(() => this.phone.focus())
    if (focus && next === 'list') queueMicrotask(() => this.list.focusTitle())
  }

  /** On a small screen, a person who may write starts on "Ajouter une idée". */
  openPhoneIfSmall(): void {
    if (isPhone() && this.session.canWrite()) this.set('phone')
  }
}

function isPhone(): boolean {
  return matchMedia(PHONE_QUERY).matches
}

function tabButton(key: Key, onClick: () => void): HTMLButtonElement {
  return bindText(h('button', { class: 'tab', attrs: { type: 'button', 'aria-pressed': 'false' }, on: { click: onClick } }), key)
}
