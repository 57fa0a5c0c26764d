/** The board's "Exporter" menu: downloads in each format, the wiki copy and publishing, the CSV import. */
// Downloads are fetched with the token in a header and saved under the server's file name.
// Publishing (when the server is set up for it) and the CSV import are for facilitators.
import { type Key, bindText, locale, t } from '../../i18n'
import './exports.css'
import { Role, type RoleValue } from '../../sync/protocol'
import { h } from '../../lib/dom'
import { type ExportFormat, downloadExport, importCsv, publishStatus, saveBlob } from '../../api/exports'
import { errorKey } from '../../i18n/error-words'
import type { Toasts } from '../widgets/toasts'
import { openPublish, openWikiCopy } from './wiki-dialogs'

const DOWNLOADS: Array<[ExportFormat, Key]> = [
  ['yeswiki', 'export.yeswiki'],
  ['markdown', 'export.markdown'],
  ['csv', 'export.csv'],
  ['json', 'export.json'],
  ['pdf', 'export.pdf'],
  ['png', 'export.png'],
]

export class ExportMenu {
  readonly el: HTMLElement
  private readonly toggle: HTMLButtonElement
  private readonly panel: HTMLElement
  private readonly publishButton: HTMLButtonElement
  private readonly importButton: HTMLButtonElement
  private readonly fileInput: HTMLInputElement
  private role: RoleValue | null = null
  private wiki: string | null = null
  private asked = false

  constructor(
    private readonly boardId: string,
    private readonly token: string,
    private readonly toasts: Toasts,
  ) {
    this.toggle = h('button', { class: 'button export-menu__toggle', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'export-menu-panel' } })
    this.toggle.append(bindText(h('span'), 'export.open'), h('span', { class: 'export-menu__caret', attrs: { 'aria-hidden': 'true' }, text: '▾' }))
    this.toggle.addEventListener('click', () => this.setOpen(this.toggle.getAttribute('aria-expanded') !== 'true'))

    const item = (key: Key, onClick: () => void, data: Record<string, string> = {}): HTMLButtonElement => {
      const button = bindText(h('button', { class: 'export-menu__item', attrs: { type: 'button', ...data } }), key)
      button.addEventListener('click', () => {
        this.setOpen(false)
        onClick()
      })
      return button
    }
    const downloads = DOWNLOADS.map(([format, key]) => item(key, () => void this.download(format, key), { 'data-export': format }))
    this.publishButton = item('publish.open', () => this.publish(), { 'data-action': 'publish' })
    this.publishButton.hidden = true
    this.importButton = item('import.csv', () => this.fileInput.click(), { 'data-action': 'import-csv' })
    this.importButton.hidden = true
    this.fileInput = h('input', { class: 'visually-hidden', attrs: { type: 'file', accept: '.csv,.txt,text/csv,text/plain', tabindex: -1, 'aria-hidden': 'true', 'data-import': 'csv' } })
    this.fileInput.addEventListener('change', () => void this.importFile())

    const downloadTitle = bindText(h('p', { class: 'export-menu__heading', attrs: { id: 'export-menu-download' } }), 'export.download')
    const wikiTitle = bindText(h('p', { class: 'export-menu__heading', attrs: { id: 'export-menu-wiki' } }), 'export.wiki')
    this.panel = h('div', { class: 'export-menu__panel', attrs: { id: 'export-menu-panel', hidden: true } }, [
      h('div', { attrs: { role: 'group', 'aria-labelledby': downloadTitle.id } }, [downloadTitle, ...downloads]),
      h('div', { attrs: { role: 'group', 'aria-labelledby': wikiTitle.id } }, [
        wikiTitle,
        item('wiki.copy', () => void openWikiCopy(this.wikiContext()), { 'data-action': 'copy-wiki' }),
        this.publishButton,
      ]),
      h('div', { class: 'export-menu__more' }, [this.importButton]),
    ])
    this.el = h('div', { class: 'toolbar__group export-menu' }, [this.toggle, this.panel, this.fileInput])
    this.el.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.panel.hidden) {
        event.stopPropagation()
        this.setOpen(false)
        this.toggle.focus()
      }
    })
    document.addEventListener('pointerdown', (event) => {
      if (!this.panel.hidden && !this.el.contains(event.target as Node)) this.setOpen(false)
    })
    this.el.addEventListener('focusout', (event) => {
      const next = event.relatedTarget as Node | null
      if (next && !this.el.contains(next)) this.setOpen(false)
    })
  }

  /** Facilitators also get publishing (when the server is set up for it) and the CSV import. */
  setRole(role: RoleValue | null): void {
    this.role = role
    const facilitator = role === Role.FACILITATOR
    this.importButton.hidden = !facilitator
    this.publishButton.hidden = !(facilitator && this.wiki)
    if (facilitator && !this.asked) {
      this.asked = true
      void publishStatus(this.boardId, this.token).then((answer) => {
        this.wiki = answer.ok && answer.value.configured ? answer.value.wiki : null
        this.publishButton.hidden = !(this.role === Role.FACILITATOR && this.wiki)
      })
    }
  }

  private setOpen(open: boolean): void {
    this.panel.hidden = !open
    this.toggle.setAttribute('aria-expanded', String(open))
    if (open) (this.panel.querySelector('button:not([hidden])') as HTMLElement | null)?.focus()
  }

  private wikiContext() {
    return {
      boardId: this.boardId,
      token: this.token,
      publishTarget: () => (this.role === Role.FACILITATOR ? this.wiki : null),
    }
  }

  private publish(): void {
    if (this.wiki) openPublish(this.wikiContext(), this.wiki)
  }

  private async download(format: ExportFormat, key: Key): Promise<void> {
    this.toggle.setAttribute('aria-busy', 'true')
    this.toasts.show(`${t('export.preparing')} (${t(key)})`)
    const answer = await downloadExport(this.boardId, this.token, format)
    this.toggle.removeAttribute('aria-busy')
    if (!answer.ok) {
      this.toasts.show(t('export.failed', { reason: t(errorKey(answer.error.code)) }), 'error')
      return
    }
    saveBlob(answer.value.blob, answer.value.filename)
    this.toasts.show(t('export.saved', { name: answer.value.filename }))
  }

  private async importFile(): Promise<void> {
    const file = this.fileInput.files?.[0]
    this.fileInput.value = ''
    if (!file) return
    this.toasts.show(t('import.csvWorking'))
    const answer = await importCsv(this.boardId, this.token, file, locale())
    if (answer.ok) {
      const { added, inZones, outsideZones } = answer.value
      this.toasts.show(t('import.csvDone', { count: added, inZones, outside: outsideZones }))
      return
    }
    const detail = answer.error.code === 'invalid' && answer.error.message ? t('import.detail', { detail: answer.error.message }) : t(errorKey(answer.error.code))
    this.toasts.show(t('import.csvFailed', { reason: detail }), 'error')
  }
}
