/** Importing a template file on the home page (docs/templates.md, POST /api/templates). */
// There are no accounts, so the import is authorised by the facilitator link of one of "Mes tableaux".
import { type Key, bindText, locale, t } from '../../i18n'
import { h } from '../../lib/dom'
import { importTemplate } from '../../api/facilitation'
import * as storage from '../../lib/storage'

export function templateImport(onImported: () => void): HTMLElement {
  const input = h('input', { class: 'visually-hidden', attrs: { id: 'template-file', type: 'file', accept: '.toml,application/toml,text/plain' } })
  const status = h('p', { class: 'template-import__status', attrs: { 'aria-live': 'polite' } })
  const choose = bindText(h('label', { class: 'button', attrs: { for: input.id } }), 'tplimport.choose')
  input.addEventListener('change', async () => {
    const file = input.files?.[0]
    input.value = ''
    if (!file) return
    const board = storage.myBoards()[0]
    if (!board) {
      bindText(status, 'tplimport.needBoard')
      return
    }
    bindText(status, 'tplimport.working')
    const answer = await importTemplate(await file.text(), board.id, board.tokens.facilitator, locale())
    status.removeAttribute('data-i18n')
    if (answer.ok) {
      if (answer.value.key) storage.rememberTemplateKey(answer.value.id, answer.value.key)
      status.textContent = t('tplimport.done', { name: answer.value.name })
      onImported()
    } else {
      status.textContent = t('tplimport.failed', { reason: answer.error.message || t(`error.${answer.error.code}` as Key) })
    }
  })
  return h('section', { class: 'card home-import', attrs: { 'aria-labelledby': 'tplimport-title' } }, [
    bindText(h('h2', { attrs: { id: 'tplimport-title' } }), 'tplimport.title'),
    bindText(h('p', { class: 'card__note' }), 'tplimport.help'),
    input,
    choose,
    status,
  ])
}
