/** Asks for a display name once (remembered in this browser), before taking part. */
import { bindText } from '../../i18n'
import { h, trapFocus } from '../../lib/dom'

export function askName(current: string, onDone: (name: string) => void): HTMLElement {
  const input = h('input', { attrs: { id: 'name-input', type: 'text', maxlength: 80, autocomplete: 'nickname', required: true, value: current } })
  const error = h('p', { class: 'field__error', attrs: { id: 'name-error', role: 'alert' } })
  input.setAttribute('aria-describedby', 'name-help name-error')
  const title = bindText(h('h2', { attrs: { id: 'name-title' } }), 'name.title')
  const form = h('form', { class: 'dialog__body' }, [
    title,
    h('div', { class: 'field' }, [
      bindText(h('label', { attrs: { for: input.id } }), 'name.label'),
      input,
      bindText(h('p', { class: 'field__help', attrs: { id: 'name-help' } }), 'name.help'),
      error,
    ]),
    bindText(h('button', { class: 'button button--primary button--large', attrs: { type: 'submit' } }), 'name.submit'),
  ])
  const overlay = h('div', { class: 'dialog', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': title.id } }, [form])
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const name = input.value.replace(/\s+/g, ' ').trim()
    if (!name) {
      bindText(error, 'name.empty')
      input.focus()
      return
    }
    overlay.remove()
    onDone(name)
  })
  trapFocus(overlay, () => [...overlay.querySelectorAll<HTMLElement>('input, button')])
  queueMicrotask(() => input.focus())
  return overlay
}
