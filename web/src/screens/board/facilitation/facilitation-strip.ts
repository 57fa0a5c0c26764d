/** The strip under the top bar (timer, voting, private writing, follow me) and the marks facilitation adds to notes. */
import { bindText } from '../../../i18n'
import type { BoardCanvas } from '../../../board/canvas'
import type { NoteData } from '../../../board/model'
import { h } from '../../../lib/dom'
import type { BoardSession } from '../../../session/board-session'
import { Role } from '../../../sync/protocol'
import type { Toasts } from '../../widgets/toasts'
import './facilitation.css'
import { FollowBar } from './follow-bar'
import { TimerWidget } from './timer-widget'
import { VotesView } from './votes-view'

export class FacilitationStrip {
  readonly el: HTMLElement
  private readonly privateText = h('span')
  /** The facilitator's live count of private notes: not announced at each note (aria-live off). */
  private readonly privateCount = h('span', { class: 'private-bar__count', attrs: { 'aria-live': 'off', hidden: true } })
  private readonly privateBar = h('div', { class: 'private-bar', attrs: { hidden: true, role: 'status' } }, [this.privateText, ' ', this.privateCount])

  constructor(session: BoardSession, canvas: BoardCanvas, toasts: Toasts, openList: () => void) {
    const timer = new TimerWidget(session, toasts)
    const votes = new VotesView(session, canvas, toasts, openList)
    const follow = new FollowBar(session, canvas)
    canvas.decorate = (data, el) => {
      votes.decorate(data, el)
      markPrivate(data, el)
    }
    this.el = h('div', { class: 'facilitation-strip' }, [timer.el, votes.strip.el, this.privateBar, follow.el])
    const showCount = (): void => {
      const count = session.privateCount
      this.privateCount.hidden = session.role !== Role.FACILITATOR || count === null
      if (count !== null) bindText(this.privateCount, 'private.count', { count })
    }
    session.on('layout', () => {
      this.privateBar.hidden = !session.facilitation.privateWriting
      bindText(this.privateText, session.role === Role.FACILITATOR ? 'private.barFacilitator' : 'private.bar')
      showCount()
    })
    session.on('privateCount', showCount)
  }
}

/** A note still in this person's private document says so. */
function markPrivate(data: NoteData, el: HTMLElement): void {
  el.classList.toggle('is-private', data.private === true)
  let mark = el.querySelector<HTMLElement>(':scope > .note__private')
  if (data.private && !mark) {
    mark = bindText(h('span', { class: 'note__private' }), 'private.marker')
    el.prepend(mark)
  } else if (!data.private) mark?.remove()
}
