/** The links and the join code of a board, each easy to copy (home page and the board's "Partager" panel). */
import { type Key, bindText } from '../../i18n'
import { copyText, h } from '../../lib/dom'
import type { ShareLinks } from '../../lib/board-links'

function copyRow(label: Key, help: Key, value: string, name: string): HTMLElement {
  const id = `share-${name}`
  const input = h('input', { class: 'share__value', attrs: { id, type: 'text', readonly: true, value, 'data-share': name } })
  const status = h('span', { class: 'share__copied', attrs: { 'aria-live': 'polite' } })
  const button = bindText(h('button', {
    class: 'button button--small',
    attrs: { type: 'button' },
    on: {
      click: async () => {
        const ok = await copyText(value, input)
        bindText(status, ok ? 'share.copied' : 'share.copyManually')
        setTimeout(() => { status.textContent = '' ; status.removeAttribute('data-i18n') }, 3000)
      },
    },
  }), 'share.copy')
  button.setAttribute('aria-describedby', id)
  input.addEventListener('focus', () => input.select())
  return h('div', { class: `share__row share__row--${name}` }, [
    bindText(h('label', { attrs: { for: id } }), label),
    h('div', { class: 'share__field' }, [input, button, status]),
    bindText(h('p', { class: 'share__help' }), help),
  ])
}

export function sharePanel(links: ShareLinks): HTMLElement {
  return h('div', { class: 'share' }, [
    h('div', { class: 'share__code' }, [
      bindText(h('span', { class: 'share__code-label' }), 'share.codeLabel'),
      h('strong', { class: 'share__code-value', attrs: { 'data-share': 'code' }, text: links.joinCode }),
      bindText(h('span', { class: 'share__code-help' }), 'share.codeHelp', { url: location.host }),
    ]),
    copyRow('share.participant', 'share.participantHelp', links.participant, 'participant'),
    copyRow('share.join', 'share.joinHelp', links.join, 'join'),
    copyRow('share.observer', 'share.observerHelp', links.observer, 'observer'),
    copyRow('share.facilitator', 'share.facilitatorHelp', links.facilitator, 'facilitator'),
  ])
}

/** For the facilitator on a device that did not create the board: the links are not known here. */
export function shareUnavailable(): HTMLElement {
  return bindText(h('p', { class: 'share__unavailable' }), 'share.unavailable')
}
