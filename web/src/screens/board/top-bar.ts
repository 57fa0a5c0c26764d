/** The board's top bar: title, role, connection status, the view tabs, who is here, "Partager" and the language. */
import { type Key, bindText, onLocaleChange } from '../../i18n'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import { languageSwitch } from '../widgets/language-switch'
import { PresenceList } from './presence-list'
import { StatusBadge } from './status-badge'

/** `tabs` and `shareButton` come from their own modules; `onRename` asks for another display name. */
export function topBar(session: BoardSession, tabs: HTMLElement, shareButton: HTMLElement, onRename: () => void): HTMLElement {
  const title = h('h1', { class: 'topbar__title' })
  const roleBadge = h('span', { class: 'role-badge' })
  const status = new StatusBadge()
  const presenceList = new PresenceList(onRename)
  const showStatus = (): void => status.update(session.connection.status, session.saveState)
  const showPresence = (): void => presenceList.update(session.me(), session.presence.others())
  session.on('layout', () => {
    const name = session.meta.title
    title.textContent = name
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
  return h('header', { class: 'topbar' }, [
    h('a', { class: 'brand', attrs: { href: '/' }, text: 'Ardoise' }),
    title,
    roleBadge,
    status.el,
    h('div', { class: 'topbar__spacer' }),
    tabs,
    presenceList.el,
    shareButton,
    languageSwitch(),
  ])
}
