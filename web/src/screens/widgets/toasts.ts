/** Short messages to the person: a polite live region, errors as alerts; they leave by themselves. */
import { h } from '../../lib/dom'

const DURATION_MS = 7_000

export class Toasts {
  readonly el = h('div', { class: 'toasts' })
  private readonly polite = h('div', { class: 'toasts__region', attrs: { role: 'status', 'aria-live': 'polite' } })
  private readonly urgent = h('div', { class: 'toasts__region', attrs: { role: 'alert' } })
  private readonly recent = new Map<string, number>()

  constructor() {
    this.el.append(this.urgent, this.polite)
  }

  show(text: string, kind: 'info' | 'error' = 'info'): void {
    // The same message again within its lifetime (a burst of refusals) is shown once.
    const now = Date.now()
    if ((this.recent.get(text) ?? 0) > now - DURATION_MS) return
    this.recent.set(text, now)
    const item = h('div', { class: `toast toast--${kind}` }, [h('span', { text })])
    const close = h('button', { class: 'toast__close', attrs: { type: 'button', 'aria-label': '×' }, text: '×', on: { click: () => item.remove() } })
    item.append(close)
    ;(kind === 'error' ? this.urgent : this.polite).append(item)
    setTimeout(() => item.remove(), DURATION_MS)
  }
}
