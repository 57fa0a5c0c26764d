/** `/j/CODE`: looks the code up, then opens the board; a wrong or closed code says so plainly. */
import { bindText } from '../i18n'
import { join } from '../api/boards'
import { h } from '../lib/dom'
import { languageSwitch } from './widgets/language-switch'

/** `openWorkshop`: the code is a workshop's, whose tables the person then picks from. */
export function mountJoin(
  root: HTMLElement,
  code: string,
  openBoard: (boardId: string, token: string) => void,
  openWorkshop: (workshopId: string, token: string) => void,
): void {
  const status = h('div', { class: 'join__status', attrs: { role: 'status' } }, [bindText(h('p', {}), 'join.looking', { code })])
  root.replaceChildren(h('div', { class: 'home-page' }, [
    h('header', { class: 'home-header' }, [h('a', { class: 'brand brand--large', attrs: { href: '/' }, text: 'Ardoise' }), languageSwitch()]),
    h('main', { class: 'join', attrs: { id: 'main' } }, [h('section', { class: 'card' }, [status])]),
  ]))
  void join(code).then((answer) => {
    if (answer.ok) {
      const found = answer.value
      if (found.kind === 'workshop') openWorkshop(found.workshopId, found.token)
      else openBoard(found.boardId, found.token)
      return
    }
    const key = answer.status === 404 ? 'join.unknown' : answer.status === 429 ? 'join.tooMany' : answer.status === 0 ? 'join.network' : 'join.failed'
    const retry = h('form', { class: 'home-join__form', attrs: { novalidate: true } })
    const input = h('input', { class: 'code-input', attrs: { id: 'join-code', type: 'text', maxlength: 20, autocomplete: 'off', autocapitalize: 'characters', value: code } })
    retry.append(
      h('div', { class: 'field' }, [
        bindText(h('label', { attrs: { for: input.id } }), 'home.codeLabel'),
        h('div', { class: 'inline-field' }, [input, bindText(h('button', { class: 'button button--primary', attrs: { type: 'submit' } }), 'home.join')]),
      ]),
    )
    retry.addEventListener('submit', (event) => {
      event.preventDefault()
      const next = input.value.replace(/[\s._-]/g, '').toUpperCase()
      if (next) location.assign(`/j/${encodeURIComponent(next)}`)
    })
    status.setAttribute('role', 'alert')
    status.replaceChildren(
      bindText(h('h1', {}), 'join.failedTitle'),
      bindText(h('p', { class: 'join__reason' }), key, { code }),
      retry,
      bindText(h('a', { attrs: { href: '/' } }), 'board.backHome'),
    )
    input.focus()
  })
}
