/** "Historique": the facilitator's list of the board's earlier versions, each restored for everyone after a confirmation. */
import { type Key, bindAttr, bindText, t } from '../../i18n'
import { errorKey } from '../../i18n/error-words'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import type { BoardVersion } from '../../session/recovery'
import { Role } from '../../sync/protocol'
import { openModal } from '../widgets/modal'
import { SidePanel } from '../widgets/side-panel'
import type { Toasts } from '../widgets/toasts'
import { formatWhen } from './moment'
import './recovery.css'

const REASONS = new Set(['auto', 'before_restore', 'before_import', 'before_delete', 'session_end', 'restored'])

export class HistoryPanel {
  private readonly panel: SidePanel
  private readonly intro = h('p', { class: 'recovery__intro' })
  private readonly list = h('ul', { class: 'recovery__list' })
  private readonly status = h('p', { class: 'recovery__status', attrs: { role: 'status' } })

  constructor(private readonly session: BoardSession, private readonly toasts: Toasts) {
    this.panel = new SidePanel('history-panel', 'history.title', 'history.open', () => void this.load())
    const refresh = bindText(h('button', { class: 'button button--small', attrs: { type: 'button' }, on: { click: () => void this.load() } }), 'history.refresh')
    this.panel.body.append(this.intro, h('div', { class: 'fpanel__buttons' }, [refresh]), this.status, this.list)
    session.on('welcome', () => {
      this.panel.button.hidden = session.role !== Role.FACILITATOR
    })
  }

  get el(): HTMLElement {
    return this.panel.el
  }

  get button(): HTMLButtonElement {
    return this.panel.button
  }

  private async load(): Promise<void> {
    if (this.list.childElementCount === 0) bindText(this.status, 'board.loading')
    const answer = await this.session.recovery.versions()
    if (!answer.ok) {
      bindText(this.status, errorKey(answer.error.code))
      this.list.replaceChildren()
      return
    }
    const { versions, intervalS } = answer.value
    bindText(this.intro, 'history.intro', { minutes: Math.max(1, Math.round(intervalS / 60)) })
    if (versions.length === 0) bindText(this.status, 'history.empty')
    else {
      this.status.removeAttribute('data-i18n')
      this.status.textContent = ''
    }
    this.list.replaceChildren(...versions.map((version) => this.item(version)))
  }

  private item(version: BoardVersion): HTMLElement {
    const when = formatWhen(version.createdAt)
    const reason = (REASONS.has(version.reason) ? `history.reason.${version.reason}` : 'history.reason.auto') as Key
    const details = h('p', { class: 'recovery__details' }, [
      bindText(h('span'), reason),
      ' · ',
      bindText(h('span'), 'history.notes', { count: version.notes }),
    ])
    if (version.by) details.append(' · ', bindText(h('span'), 'history.by', { names: version.by }))
    const restore = bindText(h('button', { class: 'button button--small', attrs: { type: 'button' }, on: { click: () => this.confirm(version) } }), 'history.restore')
    bindAttr(restore, 'aria-label', 'history.restoreNamed', { when })
    return h('li', { class: 'recovery__item', attrs: { 'data-version': version.id } }, [
      h('div', { class: 'recovery__main' }, [h('p', { class: 'recovery__text', text: when }), details]),
      restore,
    ])
  }

  /** Restoring changes the board for everyone: asked once more, saying what happens to the present. */
  private confirm(version: BoardVersion): void {
    const when = formatWhen(version.createdAt)
    const modal = openModal('history.confirmTitle', 'recovery-confirm')
    const go = bindText(h('button', { class: 'button button--primary', attrs: { type: 'button' } }), 'history.confirm')
    const cancel = bindText(h('button', { class: 'button', attrs: { type: 'button' }, on: { click: () => modal.close() } }), 'history.cancel')
    go.addEventListener('click', () => {
      go.disabled = true
      void this.restore(version, when).then(() => {
        modal.close()
        this.panel.keepFocus()
      })
    })
    modal.body.append(
      bindText(h('p'), 'history.confirmText', { when, notes: t('history.notes', { count: version.notes }) }),
      h('div', { class: 'fpanel__buttons' }, [go, cancel]),
    )
  }

  private async restore(version: BoardVersion, when: string): Promise<void> {
    const answer = await this.session.recovery.restoreVersion(version.id)
    if (answer.ok) this.toasts.show(t('history.restored', { when }))
    else this.toasts.show(t(errorKey(answer.error.code)), 'error')
    await this.load()
  }
}
