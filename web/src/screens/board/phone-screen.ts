/** The phone participant's screen: add an idea in big type, then go and look at the board. */
import { bindText } from '../../i18n'
import { h } from '../../lib/dom'
import type { IdeaForm } from './idea-form'

export class PhoneScreen {
  readonly el: HTMLElement

  constructor(private readonly form: IdeaForm, onShowBoard: () => void) {
    const title = bindText(h('h2', { attrs: { id: 'phone-title', tabindex: -1 } }), 'phone.title')
    this.el = h('section', { class: 'phone-screen', attrs: { 'aria-labelledby': title.id, hidden: true } }, [
      title,
      bindText(h('p', { class: 'phone-screen__intro' }), 'phone.intro'),
      form.el,
      bindText(h('button', { class: 'button button--large phone-screen__board', attrs: { type: 'button' }, on: { click: onShowBoard } }), 'phone.showBoard'),
    ])
  }

  focus(): void {
    this.form.focus()
  }

  inGrace(): boolean {
    return this.form.inGrace()
  }
}
