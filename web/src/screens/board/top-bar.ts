/** The board's top bar: title, role, connection status, the view tabs, who is here, "Partager" and the language. */
import { type Key, bindText, onLocaleChange, t } from '../../i18n'
import { h } from '../../lib/dom'
import { workshopPath } from '../../api/workshops'
import type { BoardSession } from '../../session/board-session'
import { languageSwitch } from '../widgets/language-switch'
import { PresenceList } from './presence-list'
import { StatusBadge } from './status-badge'

/** `tabs` and `shareButton` come from their own modules; `onRename` asks for another display name. */
export function topBar(session: BoardSession, tabs: HTMLElement, shareButton: HTMLElement, onRename: () => void): HTMLElement {
  const title = h('h1', { class: 'topbar__title' })
  const question = h('p', { class: 'topbar__question', attrs: { hidden: true } })
  const round = h('p', { class: 'topbar__round', attrs: { hidden: true, 'aria-live': 'polite' } })
  const roleBadge = h('span', { class: 'role-badge' })
  const status = new StatusBadge()
  const presenceList = new PresenceList(onRename)
  const showStatus = (): void => status.update(session.connection.status, session.saveState)
  const showPresence = (): void => presenceList.update(session.me(), session.presence.others())
  // The lead facilitator's message to every table: said once, when it arrives.
  let heardBroadcast: number | null | undefined
  session.on('layout', () => {
    const said = session.meta.broadcast
    if (heardBroadcast !== undefined && said && said.at !== heardBroadcast) session.notify(t('workshop.broadcastNotice', { text: said.text }))
    heardBroadcast = said?.at ?? null
  })
  session.on('layout', () => {
    const name = session.meta.title
    title.textContent = name
    // Plain text: a question is never markup.
    question.textContent = session.meta.question
    question.hidden = !session.meta.question
    question.title = session.meta.question
    // A workshop round's prompt, the same on every table while it runs.
    const running = session.meta.round
    const words = running ? [running.label, running.prompt].filter(Boolean).join('\u00a0: ') : ''
    round.textContent = words
    round.title = words
    round.hidden = !words
    document.title = name ? `${name} · Ardoise` : 'Ardoise'
  })
  session.on('access', () => {
    if (session.role) bindText(roleBadge, `role.${session.role}` as Key)
  })
  session.on('status', showStatus)
  session.on('presence', showPresence)
  onLocaleChange(() => {
    showStatus()
    showPresence()
  })
  // A board opened from a workshop's tables offers the way back to them (its link says which).
  const fragment = new URLSearchParams(location.hash.slice(1))
  const workshop = fragment.get('workshop')
  const backToTables = workshop && /^[A-Za-z0-9_-]+$/.test(workshop)
    ? bindText(h('a', { class: 'button button--small topbar__tables', attrs: { href: workshopPath(workshop, fragment.get('token') ?? '') } }), 'workshop.backToTables')
    : h('span', { attrs: { hidden: true } })
  return h('header', { class: 'topbar' }, [
    h('a', { class: 'brand', attrs: { href: '/' }, text: 'Ardoise' }),
    backToTables,
    title,
    question,
    round,
    roleBadge,
    status.el,
    h('div', { class: 'topbar__spacer' }),
    tabs,
    presenceList.el,
    shareButton,
    languageSwitch(),
  ])
}
