/** "Raccourcis clavier": the board's shortcuts (board/shortcuts.ts, the same rows as docs/web-client.md), in the person's language. */
import { t } from '../../i18n'
import { SHORTCUTS, keysText } from '../../board/shortcuts'
import { h } from '../../lib/dom'
import { openModal } from '../widgets/modal'

export function showShortcuts(): void {
  const modal = openModal('shortcuts.title', 'shortcuts-dialog')
  const words = { or: t('shortcuts.or'), arrows: t('shortcuts.arrows') }
  const rows = SHORTCUTS.map((shortcut) =>
    h('tr', {}, [h('th', { attrs: { scope: 'row' } }, [h('kbd', { text: keysText(shortcut.keys, words) })]), h('td', { text: t(shortcut.does) })]),
  )
  modal.body.append(h('table', { class: 'shortcuts' }, [
    h('thead', {}, [h('tr', {}, [h('th', { attrs: { scope: 'col' }, text: t('shortcuts.keys') }), h('th', { attrs: { scope: 'col' }, text: t('shortcuts.does') })])]),
    h('tbody', {}, rows),
  ]))
}
