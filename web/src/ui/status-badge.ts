/** The connection state, always visible: connecting, online (saved or saving), offline, error. */
import { type Key, bindAttr, bindText } from '../i18n'
import type { ConnectionStatus } from '../sync/connection'
import type { SaveState } from '../sync/doc-sync'
import { h } from './dom'

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
        if (save === 'saving') {
          key = 'status.saving'
          kind = 'saving'
        } else {
          key = 'status.online'
        }
        break
      case 'offline':
        key = 'status.offline'
        detail = save === 'saved' ? 'status.offlineDetail' : 'status.offlineUnsent'
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

const KNOWN_ERRORS = new Set([
  'bad_request', 'unauthorized', 'forbidden', 'not_found', 'board_not_found', 'conflict', 'payload_too_large',
  'invalid', 'rate_limited', 'board_locked', 'malformed', 'out_of_sync', 'vote_closed', 'budget_exhausted',
  'unavailable', 'internal', 'timeout', 'network',
])

/** The words for an error code; an unknown code still gets a sentence, never a raw code alone. */
export function errorKey(code: string): Key {
  return (KNOWN_ERRORS.has(code) ? `error.${code}` : 'error.internal') as Key
}
