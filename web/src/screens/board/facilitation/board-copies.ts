/** The board section of the facilitator's panel: duplicate the board, save it as a template, download its template file. */
import { type Key, bindAttr, bindText, t } from '../../../i18n'
import { duplicateBoard, saveAsTemplate, templateFileUrl } from '../../../api/facilitation'
import { h } from '../../../lib/dom'
import * as storage from '../../../lib/storage'
import type { BoardSession } from '../../../session/board-session'
import type { Toasts } from '../../widgets/toasts'
import { button, buttons, check, field, section } from './panel-parts'

export class BoardCopies {
  readonly el: HTMLElement
  private readonly dupTitle: HTMLInputElement
  private readonly dupNotes: HTMLInputElement
  private readonly tplName: HTMLInputElement
  private readonly tplDescription: HTMLTextAreaElement
  private readonly tplResult = h('p', { class: 'fpanel__status', attrs: { 'aria-live': 'polite' } })
  private readonly originalTemplate = bindText(h('a', { class: 'button button--small', attrs: { download: '' } }), 'template.downloadOriginal')

  /** `n`: the panel's number, in the fields' ids. */
  constructor(private readonly session: BoardSession, private readonly toasts: Toasts, n: number) {
    this.dupTitle = h('input', { attrs: { id: `fp-dup-title-${n}`, type: 'text', maxlength: 200, autocomplete: 'off' } })
    this.dupNotes = h('input', { attrs: { id: `fp-dup-notes-${n}`, type: 'checkbox', checked: true } })
    this.tplName = h('input', { attrs: { id: `fp-tpl-name-${n}`, type: 'text', maxlength: 80, autocomplete: 'off' } })
    this.tplDescription = h('textarea', { attrs: { id: `fp-tpl-desc-${n}`, maxlength: 300, rows: 2 } })
    bindAttr(this.tplDescription, 'placeholder', 'template.descriptionPlaceholder')
    this.el = section('board.section', [
      bindText(h('h4', {}), 'duplicate.title'),
      field('duplicate.newTitle', this.dupTitle),
      check(this.dupNotes, 'duplicate.withNotes'),
      buttons([button('duplicate.submit', () => void this.duplicate())]),
      bindText(h('h4', {}), 'template.saveTitle'),
      field('template.name', this.tplName),
      field('template.description', this.tplDescription),
      buttons([button('template.save', () => void this.saveTemplate())]),
      this.tplResult,
      buttons([this.originalTemplate]),
    ])
  }

  update(): void {
    const { title } = this.session.meta
    const { template } = this.session.facilitation
    if (!this.dupTitle.value && title) this.dupTitle.value = t('duplicate.defaultTitle', { title })
    this.originalTemplate.hidden = !template || template === 'blank'
    if (template) this.originalTemplate.setAttribute('href', templateFileUrl(template))
  }

  private async duplicate(): Promise<void> {
    const { session } = this
    const title = this.dupTitle.value.trim() || t('duplicate.defaultTitle', { title: session.meta.title })
    const answer = await duplicateBoard(session.boardId, session.token, title.slice(0, 200), this.dupNotes.checked)
    if (!answer.ok) {
      this.toasts.show(t(`error.${answer.error.code}` as Key), 'error')
      return
    }
    const board = answer.value
    storage.rememberBoard({ id: board.id, title: board.title, createdAt: Date.now(), joinCode: board.joinCode, tokens: board.tokens })
    location.assign(`/b/${board.id}#token=${encodeURIComponent(board.tokens.facilitator)}`)
  }

  private async saveTemplate(): Promise<void> {
    const name = this.tplName.value.trim()
    if (!name) {
      bindText(this.tplResult, 'template.nameMissing')
      this.tplName.focus()
      return
    }
    const answer = await saveAsTemplate(this.session.boardId, this.session.token, name, this.tplDescription.value.trim())
    if (!answer.ok) {
      this.tplResult.removeAttribute('data-i18n')
      this.tplResult.textContent = answer.error.message || t(`error.${answer.error.code}` as Key)
      return
    }
    const saved = answer.value
    if (saved.key) storage.rememberTemplateKey(saved.id, saved.key)
    const download = bindText(h('a', { class: 'button button--small', attrs: { href: templateFileUrl(saved.id), download: `${saved.id}.toml` } }), 'template.download')
    this.tplResult.replaceChildren(bindText(h('span', {}), 'template.saved', { name: saved.name }), ' ', download)
    this.tplResult.removeAttribute('data-i18n')
  }
}
