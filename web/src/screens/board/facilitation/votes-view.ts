/** Dot voting on the notes: each note's vote control and count, the top notes marked, kept in step with the session's votes. */
import { bindAttr, onLocaleChange, t } from '../../../i18n'
import type { BoardCanvas } from '../../../board/canvas'
import type { NoteData } from '../../../board/model'
import { voteErrorKey } from '../../../facilitation/votes'
import { h } from '../../../lib/dom'
import type { BoardSession } from '../../../session/board-session'
import type { Toasts } from '../../widgets/toasts'
import { TOP, VoteStrip } from './vote-strip'

export class VotesView {
  readonly strip: VoteStrip
  private top = new Set<string>()

  constructor(private readonly session: BoardSession, private readonly canvas: BoardCanvas, private readonly toasts: Toasts) {
    this.strip = new VoteStrip(session, canvas)
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
    const votes = this.session.votes
    const canVote = votes.canVote(this.session.role) && !data.private
    const count = data.private ? null : votes.count(data.id)
    const mine = votes.myVotes(data.id)
    el.classList.toggle('is-top-voted', this.top.has(data.id))
    let box = el.querySelector<HTMLElement>(':scope > .note__votes')
    if (!canVote && count === null) {
      box?.remove()
      return
    }
    const signature = `${canVote}|${count}|${mine}|${votes.remaining}|${document.documentElement.lang}`
    if (box && box.dataset.signature === signature) return
    if (!box) {
      box = h('div', { class: 'note__votes' })
      el.insertBefore(box, el.querySelector('.note__resize'))
    }
    box.dataset.signature = signature
    const parts: HTMLElement[] = []
    if (count !== null) {
      const badge = h('span', { class: 'note__vote-count', attrs: { 'data-votes': count }, text: String(count) })
      bindAttr(badge, 'aria-label', 'vote.count', { count })
      bindAttr(badge, 'title', 'vote.count', { count })
      parts.push(badge)
    }
    if (canVote) {
      if (mine > 0) {
        const remove = h('button', { class: 'note__vote-button note__vote-button--remove', attrs: { type: 'button', 'data-unvote': data.id }, text: '−', on: { click: () => void this.cast(data.id, -1) } })
        bindAttr(remove, 'aria-label', 'vote.remove')
        bindAttr(remove, 'title', 'vote.remove')
        parts.push(remove)
        const dots = h('span', { class: 'note__my-votes', attrs: { 'data-mine': mine }, text: '●'.repeat(Math.min(mine, 10)) })
        bindAttr(dots, 'aria-label', 'vote.mine', { count: mine })
        bindAttr(dots, 'title', 'vote.mine', { count: mine })
        parts.push(dots)
      }
      const add = h('button', { class: 'note__vote-button', attrs: { type: 'button', 'data-vote': data.id }, text: '+', on: { click: () => void this.cast(data.id, 1) } })
      bindAttr(add, 'aria-label', 'vote.add')
      bindAttr(add, 'title', 'vote.add')
      parts.push(add)
    }
    box.replaceChildren(...parts)
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
