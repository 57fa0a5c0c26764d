/** Dot voting on the notes: each note's vote control and count, the top notes marked, kept in step with the session's votes. */
import { onLocaleChange, t } from '../../../i18n'
import type { BoardCanvas } from '../../../board/canvas'
import type { NoteData } from '../../../board/model'
import { voteErrorKey } from '../../../facilitation/votes'
import { h } from '../../../lib/dom'
import type { BoardSession } from '../../../session/board-session'
import type { Toasts } from '../../widgets/toasts'
import { fillVoteBox } from './note-votes'
import { TOP, VoteStrip } from './vote-strip'

export class VotesView {
  readonly strip: VoteStrip
  private top = new Set<string>()

  /** `openList`: shows the list view, where a touch screen votes with finger-size buttons. */
  constructor(private readonly session: BoardSession, private readonly canvas: BoardCanvas, private readonly toasts: Toasts, openList: () => void) {
    this.strip = new VoteStrip(session, canvas, openList)
    session.on('votes', (changed) => this.refresh(changed))
    session.on('welcome', () => this.refresh(new Set()))
    session.on('layout', ({ before }) => {
      if (JSON.stringify(before.facilitation.voting) !== JSON.stringify(session.facilitation.voting)) this.refresh(this.allIds())
    })
    // Notes changed: the ranking may have.
    session.on('notes', () => {
      if (session.votes.voting.state !== 'off') this.refresh(new Set())
    })
    onLocaleChange(() => this.refresh(this.allIds()))
  }

  /** Canvas decorator: the vote control and the count on one note. */
  decorate(data: NoteData, el: HTMLElement): void {
    el.classList.toggle('is-top-voted', this.top.has(data.id))
    let box = el.querySelector<HTMLElement>(':scope > .note__votes')
    if (!box) box = h('div', { class: 'note__votes' })
    if (!fillVoteBox(box, this.session, data, (id, delta) => void this.cast(id, delta), null)) {
      box.remove()
      return
    }
    if (!box.isConnected) el.insertBefore(box, el.querySelector('.note__resize'))
  }

  /** Re-render counts and the strip; `changed` notes are repainted, and so are those entering or leaving the top. */
  private refresh(changed: Set<string>): void {
    const top = this.session.votes.top((id) => this.canvas.note(id) !== null, TOP)
    for (const id of new Set([...this.top, ...top])) if (this.top.has(id) !== top.has(id)) changed.add(id)
    this.top = top
    this.canvas.invalidate(changed)
    this.strip.render()
  }

  private async cast(noteId: string, delta: 1 | -1): Promise<void> {
    const ack = await this.session.castVote(noteId, delta)
    if (ack === null) return
    if (ack.ok) this.strip.render()
    else this.toasts.show(t(voteErrorKey(ack.code)), 'error')
  }

  private allIds(): Set<string> {
    return new Set([...this.canvas.notes()].map((n) => n.id))
  }
}
