/** Short messages to the person: a polite live region, errors as alerts; they leave by themselves, or when what they said no longer holds. */
import { h } from '../../lib/dom'

const DURATION_MS = 7_000

interface Shown {
  item: HTMLElement
  text: string
  timer: ReturnType<typeof setTimeout>
}

export class Toasts {
  readonly el = h('div', { class: 'toasts' })
  private readonly polite = h('div', { class: 'toasts__region', attrs: { role: 'status', 'aria-live': 'polite' } })
  private readonly urgent = h('div', { class: 'toasts__region', attrs: { role: 'alert' } })
  private readonly recent = new Map<string, number>()
  /** Toasts about a topic that may stop holding (a deletion "Ctrl+Z to undo", once undone). */
  private readonly byTopic = new Map<string, Shown>()

  constructor() {
    this.el.append(this.urgent, this.polite)
  }

  /** `topic`: a later toast of the same topic replaces this one, and `withdraw(topic)` removes it. */
  show(text: string, kind: 'info' | 'error' = 'info', topic?: string): void {
    // The same message again within its lifetime (a burst of refusals) is shown once.
    const now = Date.now()
    if ((this.recent.get(text) ?? 0) > now - DURATION_MS && topic === undefined) return
    if (topic !== undefined) this.withdraw(topic)
    this.recent.set(text, now)
    const item = h('div', { class: `toast toast--${kind}` }, [h('span', { text })])
    const close = h('button', { class: 'toast__close', attrs: { type: 'button', 'aria-label': '×' }, text: '×', on: { click: () => item.remove() } })
    item.append(close)
    ;(kind === 'error' ? this.urgent : this.polite).append(item)
    const timer = setTimeout(() => {
      item.remove()
      if (topic !== undefined && this.byTopic.get(topic)?.item === item) this.byTopic.delete(topic)
    }, DURATION_MS)
    if (topic !== undefined) this.byTopic.set(topic, { item, text, timer })
  }

  /** What the toast of this topic said no longer holds: it goes now, and may be shown again. */
  withdraw(topic: string): void {
    const shown = this.byTopic.get(topic)
    if (!shown) return
    this.byTopic.delete(topic)
    clearTimeout(shown.timer)
    shown.item.remove()
    this.recent.delete(shown.text)
  }
}
