/** A side panel opened by a toolbar button: a title, a close button, Escape to close, content drawn anew at each opening. */
import { type Key, bindText } from '../../i18n'
import { h } from '../../lib/dom'

export class SidePanel {
  readonly el: HTMLElement
  readonly button: HTMLButtonElement
  /** Where the panel's content goes (below the head). */
  readonly body = h('div', { class: 'side-panel__body' })

  /** `onOpen`: draws the content, each time the panel opens. */
  constructor(id: string, titleKey: Key, buttonKey: Key, private readonly onOpen: () => void) {
    const titleId = `${id}-title`
    this.el = h('aside', { class: 'side-panel', attrs: { id, hidden: true, 'aria-labelledby': titleId } })
    const close = bindText(h('button', { class: 'button button--small', attrs: { type: 'button' }, on: { click: () => this.toggle(false) } }), 'share.close')
    this.el.append(h('div', { class: 'side-panel__head' }, [bindText(h('h2', { attrs: { id: titleId } }), titleKey), close]), this.body)
    this.el.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !event.defaultPrevented) this.toggle(false)
    })
    this.button = bindText(h('button', { class: 'button', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': id, hidden: true }, on: { click: () => this.toggle() } }), buttonKey)
  }

  get isOpen(): boolean {
    return !this.el.hidden
  }

  /** After the content was drawn again (the focused button may be gone): focus stays in the panel. */
  keepFocus(): void {
    if (this.isOpen && !this.el.contains(document.activeElement)) this.el.querySelector<HTMLElement>('.side-panel__head button')?.focus()
  }

  toggle(force?: boolean): void {
    const open = force ?? this.el.hidden
    if (open === this.isOpen) return
    this.el.hidden = !open
    this.button.setAttribute('aria-expanded', String(open))
    if (open) {
      this.onOpen()
      this.el.querySelector<HTMLElement>('.side-panel__head button')?.focus()
    } else {
      this.button.focus()
    }
  }
}
