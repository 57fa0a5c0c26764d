/** Who is here: a row of initials with a count, opening the full list of names. */
import { bindAttr, bindText } from '../../i18n'
import type { PresenceState } from '../../sync/presence'
import { h } from '../../lib/dom'
import { initials } from '../../lib/peer-marks'

const SHOWN_AVATARS = 5

export interface Me {
  name: string
  color: string
  participantId: string
}

export class PresenceList {
  readonly el: HTMLElement
  private readonly toggle: HTMLButtonElement
  private readonly avatars = h('span', { class: 'presence__avatars', attrs: { 'aria-hidden': 'true' } })
  private readonly count = h('span', { class: 'presence__count' })
  private readonly list = h('ul', { class: 'presence__list' })
  private readonly panel: HTMLElement

  constructor(onRename: () => void) {
    this.toggle = h('button', { class: 'presence__toggle', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'presence-panel' } }, [this.avatars, this.count])
    const rename = bindText(h('button', { class: 'button button--small', attrs: { type: 'button' }, on: { click: () => { this.close(); onRename() } } }), 'presence.rename')
    this.panel = h('div', { class: 'presence__panel', attrs: { id: 'presence-panel', hidden: true } }, [
      bindText(h('h2', { class: 'presence__title' }), 'presence.title'),
      this.list,
      rename,
    ])
    this.el = h('div', { class: 'presence' }, [this.toggle, this.panel])
    this.toggle.addEventListener('click', () => (this.panel.hidden ? this.open() : this.close()))
    this.el.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.panel.hidden) {
        this.close()
        this.toggle.focus()
      }
    })
  }

  private open(): void {
    this.panel.hidden = false
    this.toggle.setAttribute('aria-expanded', 'true')
  }

  private close(): void {
    this.panel.hidden = true
    this.toggle.setAttribute('aria-expanded', 'false')
  }

  update(me: Me | null, others: Map<number, PresenceState>): void {
    // One person with two tabs open is one person.
    const people = new Map<string, { name: string; color: string; me: boolean }>()
    if (me) people.set(me.participantId, { name: me.name, color: me.color, me: true })
    for (const state of others.values()) {
      if (!people.has(state.participantId)) people.set(state.participantId, { name: state.name, color: String(state.color), me: false })
    }
    const sorted = [...people.values()].sort((a, b) => Number(b.me) - Number(a.me) || a.name.localeCompare(b.name))
    this.avatars.replaceChildren(...sorted.slice(0, SHOWN_AVATARS).map((p) => avatar(p.name, p.color)))
    bindText(this.count, 'presence.count', { count: sorted.length })
    bindAttr(this.toggle, 'aria-label', 'presence.toggle', { count: sorted.length })
    this.list.replaceChildren(...sorted.map((p) => {
      const li = h('li', { class: 'presence__person' }, [avatar(p.name, p.color), h('span', { text: p.name })])
      if (p.me) li.append(' ', bindText(h('span', { class: 'presence__me' }), 'presence.you'))
      return li
    }))
  }
}

function avatar(name: string, color: string): HTMLElement {
  const el = h('span', { class: 'avatar', text: initials(name) })
  el.style.setProperty('--peer-color', /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#5b5b5b')
  return el
}
