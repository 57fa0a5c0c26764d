/** The facilitator's side panel ("Animation" in the toolbar): timer, voting, session settings and board copies, mirroring the layout document. */
import { bindText } from '../../../i18n'
import { h } from '../../../lib/dom'
import type { BoardSession } from '../../../session/board-session'
import { Role } from '../../../sync/protocol'
import type { Toasts } from '../../widgets/toasts'
import { BoardCopies } from './board-copies'
import { nextPanelNumber, section } from './panel-parts'
import { SessionSwitches } from './session-switches'
import { TimerControls } from './timer-controls'
import { VoteControls } from './vote-controls'

// Every control writes the `layout` document or calls the HTTP API; the server enforces it all,
// the panel only mirrors it.

export class FacilitatorPanel {
  /** The side panel. */
  readonly el = h('aside', { class: 'side-panel', attrs: { id: 'facilitation-panel', hidden: true, 'aria-labelledby': 'facilitation-title' } })
  /** Its button, for the toolbar's facilitator group. */
  readonly button: HTMLButtonElement
  private readonly sections: Array<{ el: HTMLElement; update(): void }>

  /** `legendButton`: opens the colour legend's dialog (screens/board/legend.ts), a section here:
   * the toolbar holds on one line at 1366 px (docs/web-client.md). */
  constructor(private readonly session: BoardSession, toasts: Toasts, legendButton: HTMLElement) {
    const n = nextPanelNumber()
    this.sections = [
      new TimerControls(session, n),
      new VoteControls(session, n),
      new SessionSwitches(session, toasts, () => this.update()),
      new BoardCopies(session, toasts, n),
    ]
    const close = bindText(h('button', { class: 'button button--small', attrs: { type: 'button' }, on: { click: () => this.toggle(false) } }), 'share.close')
    this.el.append(h('div', { class: 'fpanel' }, [
      h('div', { class: 'side-panel__head' }, [bindText(h('h2', { attrs: { id: 'facilitation-title' } }), 'facilitation.title'), close]),
      ...this.sections.map((part) => part.el),
      section('legend.title', [legendButton]),
    ]))
    this.el.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.toggle(false)
    })
    this.button = h('button', { class: 'button', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'facilitation-panel', hidden: true }, on: { click: () => this.toggle() } })
    this.button.append(bindText(h('span', {}), 'facilitation.open'))
    session.on('welcome', () => {
      this.button.hidden = session.role !== Role.FACILITATOR
    })
    session.on('layout', () => {
      if (!this.el.hidden) this.update()
    })
  }

  toggle(force?: boolean): void {
    const open = force ?? this.el.hidden
    this.el.hidden = !open
    this.button.setAttribute('aria-expanded', String(open))
    if (open) {
      if (!this.session.share.isLoaded) void this.session.share.load().then(() => this.update())
      this.update()
      this.el.querySelector<HTMLElement>('h2 + button, button')?.focus()
    } else {
      this.button.focus()
    }
  }

  /** Reflects the board's state (on every layout change while open, and when it opens). */
  private update(): void {
    for (const section of this.sections) section.update()
  }
}
