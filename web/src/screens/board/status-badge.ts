/** The connection state, always visible: connecting, online (saved, saving, or saving paused), offline, error. */
import { type Key, bindAttr, bindText } from '../../i18n'
import type { ConnectionStatus } from '../../sync/connection'
import type { SaveState } from '../../sync/doc-sync'
import { errorKey } from '../../i18n/error-words'
import { h } from '../../lib/dom'

export class StatusBadge {
  readonly el = h('div', { class: 'status', attrs: { role: 'status', 'aria-live': 'polite' } })
  private readonly dot = h('span', { class: 'status__dot', attrs: { 'aria-hidden': 'true' } })
  private readonly label = h('span', { class: 'status__label' })
  private readonly detail = h('span', { class: 'status__detail' })

  constructor() {
    this.el.append(this.dot, this.label, this.detail)
  }

  update(status: ConnectionStatus, save: SaveState): void {
    let kind: string = status.kind
    let key: Key
    let detail: Key | null = null
    switch (status.kind) {
      case 'connecting':
        key = 'status.connecting'
        break
      case 'online':
        if (save === 'paused') {
          // The server cannot store for now: the edits are kept and sent again by themselves.
          key = 'status.paused'
          kind = 'paused'
          detail = 'status.pausedDetail'
        } else if (save === 'saving') {
          key = 'status.saving'
          kind = 'saving'
        } else {
          key = 'status.online'
        }
        break
      case 'offline':
        key = 'status.offline'
        if (status.refused === 'unavailable') {
          // The server is up but cannot store: joining again is tried by itself.
          key = 'status.paused'
          kind = 'paused'
          detail = 'status.refusedDetail'
        } else {
          detail = save === 'saved' ? 'status.offlineDetail' : 'status.offlineUnsent'
        }
        break
      case 'error':
        key = 'status.error'
        detail = errorKey(status.code)
        break
    }
    this.el.dataset.kind = kind
    bindText(this.label, key)
    if (detail) bindText(this.detail, detail)
    else {
      this.detail.textContent = ''
      this.detail.removeAttribute('data-i18n')
    }
    bindAttr(this.el, 'title', detail ?? key)
  }
}
