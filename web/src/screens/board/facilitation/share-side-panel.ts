/** "Partager": the facilitator's side panel with the board's links and join code, and the QR screen. */
import { bindText } from '../../../i18n'
import { h } from '../../../lib/dom'
import type { BoardSession } from '../../../session/board-session'
import { Role } from '../../../sync/protocol'
import { sharePanel, shareUnavailable } from '../../widgets/share-panel'
import type { Toasts } from '../../widgets/toasts'
import { openJoinQr } from './qr-screen'

export class ShareSidePanel {
  readonly button: HTMLButtonElement
  readonly el = h('aside', { class: 'side-panel', attrs: { id: 'share-panel', hidden: true, 'aria-labelledby': 'share-title' } })

  constructor(private readonly session: BoardSession, private readonly toasts: Toasts) {
    this.button = bindText(h('button', { class: 'button', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'share-panel', hidden: true } }), 'share.open')
    this.button.addEventListener('click', () => this.toggle())
    this.el.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        this.toggle(false)
        this.button.focus()
      }
    })
    session.on('access', () => {
      this.button.hidden = session.role !== Role.FACILITATOR
    })
  }

  private toggle(force?: boolean): void {
    const open = force ?? this.el.hidden
    this.el.hidden = !open
    this.button.setAttribute('aria-expanded', String(open))
    if (!open) return
    const close = bindText(h('button', { class: 'button button--small', attrs: { type: 'button' }, on: { click: () => { this.toggle(false); this.button.focus() } } }), 'share.close')
    this.el.replaceChildren(
      h('div', { class: 'side-panel__head' }, [bindText(h('h2', { attrs: { id: 'share-title' } }), 'share.title'), close]),
      this.content(),
    )
    close.focus()
  }

  /** The links from "Mes tableaux", else from the server. */
  private content(): HTMLElement {
    const box = h('div', { class: 'share-box' }, [bindText(h('p', {}), 'board.loading')])
    void this.session.share.links().then((links) => {
      if (!links) {
        box.replaceChildren(shareUnavailable())
        return
      }
      const qr = bindText(h('button', { class: 'button', attrs: { type: 'button' }, on: { click: () => void openJoinQr(this.session.share, this.toasts) } }), 'qr.show')
      box.replaceChildren(sharePanel(links), h('div', { class: 'share__actions' }, [qr]))
    })
    return box
  }
}
