/** The lead facilitator's view of every table at once (people, notes, time left), refreshed every few seconds, and a message to all tables. */
import { bindText, t } from '../i18n'
import { type TableOverview, type Workshop, broadcast, getOverview, workshopBoardPath } from '../api/workshops'
import { h } from '../lib/dom'

// Often enough to follow a room, rarely enough for thirty tables on a small server.
const REFRESH_MS = 3000

function timeLeft(table: TableOverview, serverTime: number): string {
  const { endsAt, remainingMs } = table.timer
  const left = typeof endsAt === 'number' ? Math.max(0, endsAt - serverTime) : remainingMs
  if (typeof left !== 'number') return t('overview.noTimer')
  if (left === 0) return t('overview.timeUp')
  const seconds = Math.ceil(left / 1000)
  return t('overview.left', { time: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}` })
}

function card(workshop: Workshop, token: string, table: TableOverview, serverTime: number): HTMLElement {
  return h('li', { class: 'overview__table', attrs: { 'data-board': table.boardId } }, [
    h('h3', { class: 'overview__title', text: table.title }),
    h('p', { class: 'overview__people', text: table.people.length ? t('overview.people', { n: table.people.length, names: table.people.join(', ') }) : t('overview.nobody') }),
    h('p', { class: 'overview__notes', text: t('overview.notes', { n: table.notes }) }),
    h('p', { class: 'overview__time', text: `${timeLeft(table, serverTime)}${table.locked ? ` · ${t('overview.locked')}` : ''}` }),
    h('a', { class: 'button button--small', attrs: { href: workshopBoardPath(workshop.id, table.boardId, token) }, text: t('overview.open', { title: table.title }) }),
  ])
}

export function workshopOverview(workshop: Workshop, token: string): HTMLElement {
  const list = h('ul', { class: 'overview__tables', attrs: { 'aria-live': 'off' } })
  const status = h('p', { class: 'overview__status', attrs: { role: 'status' } })
  const message = h('input', { attrs: { id: 'broadcast-text', type: 'text', maxlength: 300, autocomplete: 'off' } }) as HTMLInputElement
  const form = h('form', { class: 'overview__broadcast', attrs: { novalidate: true } }, [
    bindText(h('label', { attrs: { for: message.id } }), 'overview.broadcastLabel'),
    h('div', { class: 'inline-field' }, [message, bindText(h('button', { class: 'button button--primary', attrs: { type: 'submit' } }), 'overview.send')]),
  ])
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const text = message.value.trim()
    if (!text) return
    void broadcast(workshop.id, token, text).then((answer) => {
      if (answer.ok) {
        message.value = ''
        bindText(status, 'overview.sent', { n: answer.value.boards })
      } else {
        status.textContent = answer.error.message
      }
    })
  })
  const section = h('section', { class: 'card overview' }, [bindText(h('h2', {}), 'overview.heading'), list, form, status])

  const refresh = async (): Promise<void> => {
    if (!section.isConnected) return
    const answer = await getOverview(workshop.id, token)
    if (answer.ok) list.replaceChildren(...answer.value.tables.map((table) => card(workshop, token, table, answer.value.serverTime)))
    if (section.isConnected) setTimeout(() => void refresh(), REFRESH_MS)
  }
  // Once on the page: `isConnected` ends the refreshes when the person leaves it.
  requestAnimationFrame(() => void refresh())
  return section
}
