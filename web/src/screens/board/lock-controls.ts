/** The board's lock: the banner saying it is locked, and the facilitator's button that locks or unlocks it. */
import { bindText } from '../../i18n'
import { setLocked } from '../../board/model'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import { Role } from '../../sync/protocol'

export class LockControls {
  readonly banner = h('div', { class: 'locked-banner', attrs: { hidden: true, role: 'note' } })
  /** For the toolbar's facilitator group. */
  readonly button: HTMLButtonElement

  constructor(private readonly session: BoardSession) {
    this.button = h('button', { class: 'button', attrs: { type: 'button', 'aria-pressed': 'false' }, on: { click: () => setLocked(session.layout, !session.meta.locked) } })
    session.on('access', () => this.refresh())
  }

  private refresh(): void {
    const { role, meta } = this.session
    const locked = meta.locked
    this.banner.hidden = !(locked && role !== null)
    if (locked) bindText(this.banner, role === Role.FACILITATOR ? 'lock.bannerFacilitator' : 'lock.banner')
    this.button.hidden = role !== Role.FACILITATOR
    this.button.setAttribute('aria-pressed', String(locked))
    bindText(this.button, locked ? 'lock.unlock' : 'lock.lock')
  }
}
