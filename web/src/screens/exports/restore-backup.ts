/** "Restaurer une sauvegarde" on the home page: a JSON board file becomes a new board on this server. */
// The file is the "Sauvegarde complète" export; the new board is remembered in "Mes tableaux" like
// a created one.
import { bindText, locale, t } from '../../i18n'
import './exports.css'
import { h } from '../../lib/dom'
import { importBoardFile } from '../../api/exports'
import { errorKey } from '../../i18n/error-words'
import type { MyBoard } from '../../lib/storage'

export function restoreBackup(onRestored: (board: MyBoard) => void): HTMLElement {
  const input = h('input', { class: 'visually-hidden', attrs: { id: 'restore-file', type: 'file', accept: '.json,application/json', 'data-import': 'json' } })
  const choose = bindText(h('label', { class: 'button', attrs: { for: input.id } }), 'import.restoreChoose')
  const status = h('p', { class: 'restore__status', attrs: { 'aria-live': 'polite' } })
  input.addEventListener('focus', () => choose.classList.add('is-focused'))
  input.addEventListener('blur', () => choose.classList.remove('is-focused'))
  input.addEventListener('change', async () => {
    const file = input.files?.[0]
    input.value = ''
    if (!file) return
    status.className = 'restore__status'
    status.removeAttribute('role')
    bindText(status, 'import.restoreWorking')
    const answer = await importBoardFile(file, locale())
    if (!answer.ok) {
      const { code, message } = answer.error
      const reason = (code === 'invalid' || code === 'bad_request') && message ? t('import.detail', { detail: message }) : t(errorKey(code))
      status.className = 'restore__status field__error'
      status.setAttribute('role', 'alert')
      bindText(status, 'import.restoreFailed', { reason })
      return
    }
    status.textContent = ''
    status.removeAttribute('data-i18n')
    const board = answer.value
    onRestored({ id: board.id, title: board.title, createdAt: Date.now(), joinCode: board.joinCode, tokens: board.tokens })
  })
  return h('section', { class: 'card home-restore', attrs: { 'aria-labelledby': 'restore-title' } }, [
    bindText(h('h2', { attrs: { id: 'restore-title' } }), 'import.restore'),
    bindText(h('p', { class: 'card__note' }), 'import.restoreHelp'),
    h('div', { class: 'restore__field' }, [input, choose]),
    status,
  ])
}
