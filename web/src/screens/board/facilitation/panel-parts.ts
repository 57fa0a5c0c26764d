/** The building blocks of the facilitator's panel: sections, labelled fields, checkboxes, buttons and switches. */
import { type Key, bindText } from '../../../i18n'
import { h } from '../../../lib/dom'

let uid = 0

/** A new number for the ids of one panel's fields, so that two panels would not share ids. */
export function nextPanelNumber(): number {
  return ++uid
}

export function section(title: Key, children: HTMLElement[]): HTMLElement {
  const id = `fp-section-${++uid}`
  return h('section', { class: 'fpanel__section', attrs: { 'aria-labelledby': id } }, [bindText(h('h3', { attrs: { id } }), title), ...children])
}

export function field(label: Key, input: HTMLElement): HTMLElement {
  return h('div', { class: 'fpanel__field' }, [bindText(h('label', { attrs: { for: input.id } }), label), input])
}

export function check(input: HTMLInputElement, key: Key): HTMLElement {
  return h('div', { class: 'fpanel__check' }, [input, bindText(h('label', { attrs: { for: input.id } }), key)])
}

export function row(children: HTMLElement[]): HTMLElement {
  return h('div', { class: 'fpanel__row' }, children)
}

export function buttons(children: HTMLElement[]): HTMLElement {
  return h('div', { class: 'fpanel__buttons' }, children)
}

export function button(key: Key, onClick: () => void, extra = ''): HTMLButtonElement {
  return bindText(h('button', { class: `button button--small ${extra}`, attrs: { type: 'button' }, on: { click: onClick } }), key)
}

export function switchButton(key: Key, onClick: () => void): HTMLButtonElement {
  const el = h('button', { class: 'switch', attrs: { type: 'button', role: 'switch', 'aria-checked': 'false' }, on: { click: onClick } }, [
    h('span', { class: 'switch__track', attrs: { 'aria-hidden': 'true' } }),
  ])
  el.append(bindText(h('span', { class: 'switch__label' }), key))
  return el
}

export function setSwitch(el: HTMLElement, on: boolean): void {
  el.setAttribute('aria-checked', String(on))
}
