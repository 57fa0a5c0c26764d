/** "Corbeille": this person's deleted notes (every deleted note for the facilitator), each put back on the board in one click. */
import { bindAttr, bindText, t } from '../../i18n'
import { errorKey } from '../../i18n/error-words'
import { isPaletteName } from '../../board/model'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import type { DeletedNote } from '../../session/recovery'
import { Role } from '../../sync/protocol'
import { SidePanel } from '../widgets/side-panel'
import { formatWhen } from './moment'
import type { Toasts } from '../widgets/toasts'
import './recovery.css'

// While the panel is open, notes deleted elsewhere show up: the list is read again this long
// after the board's notes last changed (a burst of changes costs one request).
const REFRESH_DELAY_MS = 400
// A deletion reaches the screens before its trash entry is stored (the server relays at once and
// acknowledges once both are stored): for this long after a note went, each reading of the list
// is followed by another, 1 s later, then 2 s, then 4 s.
const SETTLING_MS = 8000
const SETTLING_RETRIES = 3
const PREVIEW_CHARS = 140

export class TrashPanel {
  private readonly panel: SidePanel
  private readonly intro = h('p', { class: 'recovery__intro' })
  private readonly list = h('ul', { class: 'recovery__list' })
  private readonly status = h('p', { class: 'recovery__status', attrs: { role: 'status' } })
  private refreshTimer: number | undefined
  // The notes on the board, followed all along, to tell a deletion from an edit.
  private present = new Set<string>()
  // When a note last went or came back (Date.now()), and the readings made since.
  private changedAt = 0
  private rereads = 0

  constructor(private readonly session: BoardSession, private readonly toasts: Toasts) {
    this.panel = new SidePanel('trash-panel', 'trash.title', 'trash.open', () => void this.load())
    this.panel.body.append(this.intro, this.status, this.list)
    session.on('welcome', () => {
      // Observers have no trash (docs/protocol.md section 2.8).
      this.panel.button.hidden = session.role === null || session.role === Role.OBSERVER
      bindText(this.intro, session.role === Role.FACILITATOR ? 'trash.introFacilitator' : 'trash.introParticipant')
    })
    session.on('notes', (ids) => {
      if (!this.notesCameOrWent(ids)) return
      this.changedAt = Date.now()
      this.rereads = 0
      if (this.panel.isOpen) this.loadIn(REFRESH_DELAY_MS)
    })
  }

  get el(): HTMLElement {
    return this.panel.el
  }

  get button(): HTMLButtonElement {
    return this.panel.button
  }

  /** Whether a note was deleted or put back (typing and moves change nothing in the trash). */
  private notesCameOrWent(ids: Set<string>): boolean {
    let changed = false
    for (const id of ids) {
      const here = this.session.model.get(id) !== null
      if (here !== this.present.has(id)) {
        changed = true
        if (here) this.present.add(id)
        else this.present.delete(id)
      }
    }
    return changed
  }

  private loadIn(delayMs: number): void {
    clearTimeout(this.refreshTimer)
    this.refreshTimer = window.setTimeout(() => void this.load(), delayMs)
  }

  private async load(): Promise<void> {
    clearTimeout(this.refreshTimer)
    if (this.list.childElementCount === 0) bindText(this.status, 'board.loading')
    const answer = await this.session.recovery.trash()
    if (this.panel.isOpen && Date.now() - this.changedAt < SETTLING_MS && this.rereads < SETTLING_RETRIES) {
      this.loadIn(1000 * 2 ** this.rereads)
      this.rereads += 1
    }
    if (!answer.ok) {
      bindText(this.status, errorKey(answer.error.code))
      this.list.replaceChildren()
      return
    }
    const entries = answer.value
    if (entries.length === 0) bindText(this.status, 'trash.empty')
    else {
      this.status.removeAttribute('data-i18n')
      this.status.textContent = ''
    }
    this.list.replaceChildren(...entries.map((entry) => this.item(entry)))
  }

  private item(entry: DeletedNote): HTMLElement {
    const shown = entry.text.trim() ? clip(entry.text) : t('trash.emptyText')
    const color = isPaletteName(entry.color) ? entry.color : 'yellow'
    const when = formatWhen(entry.deletedAt)
    const by = entry.deletedBy.role === 'server'
      ? bindText(h('span'), 'trash.deletedByRestore', { when })
      : entry.deletedBy.name
        ? bindText(h('span'), 'trash.deletedBy', { name: entry.deletedBy.name, when })
        : bindText(h('span'), 'trash.deletedAt', { when })
    const details = h('p', { class: 'recovery__details' }, [by])
    if (this.session.role === Role.FACILITATOR && entry.author) details.append(' · ', bindText(h('span'), 'trash.author', { name: entry.author }))
    const restore = bindText(h('button', { class: 'button button--small', attrs: { type: 'button' }, on: { click: () => void this.restore(entry, restore) } }), entry.onBoard ? 'trash.onBoard' : 'trash.restore')
    restore.disabled = entry.onBoard
    bindAttr(restore, 'aria-label', entry.onBoard ? 'trash.onBoard' : 'trash.restoreNamed', { text: clip(shown, 40) })
    return h('li', { class: 'recovery__item', attrs: { 'data-entry': entry.id } }, [
      h('span', { class: `recovery__chip swatch--${color}`, attrs: { 'aria-hidden': 'true' } }),
      h('div', { class: 'recovery__main' }, [h('p', { class: 'recovery__text', text: shown }), details]),
      restore,
    ])
  }

  private async restore(entry: DeletedNote, button: HTMLButtonElement): Promise<void> {
    button.disabled = true
    const answer = await this.session.recovery.restoreNote(entry.id)
    if (answer.ok) this.toasts.show(t('trash.restored'))
    else this.toasts.show(t(answer.error.code === 'conflict' ? 'trash.onBoard' : errorKey(answer.error.code)), 'error')
    await this.load()
    this.panel.keepFocus()
  }
}

function clip(text: string, chars = PREVIEW_CHARS): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > chars ? `${line.slice(0, chars - 1)}…` : line
}
