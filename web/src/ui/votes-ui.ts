/**
 * Dot voting on the board: the vote control on each note (several votes per note, removable), the
 * counts once they may be seen, the top notes highlighted, and the strip that says how many votes
 * are left and ranks the notes.
 */
import { bindAttr, bindText, t } from '../i18n'
import type { NoteData } from '../board/model'
import { VoteState, asVoteAck, asVotesPayload, voteErrorKey } from '../facilitation/votes'
import type { Voting } from '../facilitation/state'
import type { Connection } from '../sync/connection'
import { h } from './dom'

export interface VotesHost {
  connection: Connection
  role(): string | null
  /** Notes currently on the board (to rank only existing ones), and their texts. */
  note(id: string): NoteData | null
  invalidate(ids: Iterable<string>): void
  allIds(): string[]
  focusNote(id: string): void
  toast(text: string, kind?: 'error'): void
}

const TOP = 3

export class VotesUI {
  readonly state = new VoteState()
  readonly strip: HTMLElement
  private readonly status = h('span', { class: 'vote-strip__status', attrs: { 'aria-live': 'polite' } })
  private readonly highlightButton: HTMLButtonElement
  private readonly rankingButton: HTMLButtonElement
  private readonly ranking = h('ol', { class: 'vote-ranking', attrs: { id: 'vote-ranking', hidden: true } })
  private highlight = false
  private top = new Set<string>()
  private pending = 0

  constructor(private readonly host: VotesHost) {
    this.highlightButton = bindText(h('button', { class: 'button button--small', attrs: { type: 'button', 'aria-pressed': 'false' }, on: { click: () => this.setHighlight(!this.highlight) } }), 'vote.highlight', { count: TOP })
    this.rankingButton = bindText(h('button', { class: 'button button--small', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'vote-ranking' }, on: { click: () => this.toggleRanking() } }), 'vote.sort')
    this.strip = h('div', { class: 'vote-strip', attrs: { hidden: true } }, [
      h('span', { class: 'vote-strip__icon', attrs: { 'aria-hidden': 'true' }, text: '●' }),
      this.status,
      this.rankingButton,
      this.highlightButton,
      this.ranking,
    ])
    host.connection.onVotes((raw) => {
      const payload = asVotesPayload(raw)
      if (!payload) return
      const changed = this.state.apply(payload)
      this.refresh(changed)
    })
  }

  setVoting(voting: Voting): void {
    const before = this.state.voting
    this.state.setVoting(voting)
    if (JSON.stringify(before) !== JSON.stringify(voting)) {
      const participant = this.host.role() === 'participant'
      if (before.state !== voting.state && participant) {
        if (voting.state === 'open') this.host.toast(t('vote.nowOpen', { count: voting.budget }))
        if (voting.state === 'closed' && before.state === 'open') this.host.toast(t('vote.nowClosed'))
      }
      if (before.revealed !== voting.revealed && voting.revealed && participant) this.host.toast(t('vote.nowRevealed'))
      this.refresh(new Set(this.host.allIds()))
    }
  }

  /** Notes changed: the ranking may have. */
  notesChanged(): void {
    if (this.state.voting.state !== 'off') this.refresh(new Set())
  }

  /** Re-render counts and the strip; `changed` notes are repainted. */
  refresh(changed: Set<string>): void {
    const exists = (id: string): boolean => this.host.note(id) !== null
    const top = this.state.top(exists, TOP)
    for (const id of new Set([...this.top, ...top])) if (this.top.has(id) !== top.has(id)) changed.add(id)
    this.top = top
    this.host.invalidate(changed)
    this.renderStrip()
  }

  private renderStrip(): void {
    const { voting } = this.state
    const role = this.host.role()
    this.strip.hidden = voting.state === 'off'
    this.strip.dataset.state = voting.state
    if (voting.state === 'off') return
    const canVote = this.state.canVote(role)
    if (voting.state === 'open' && canVote) {
      const key = voting.secret && !voting.revealed ? 'vote.remainingSecret' : 'vote.remaining'
      bindText(this.status, key, { count: this.state.remaining })
    } else if (voting.state === 'open') {
      bindText(this.status, 'vote.openObserver')
    } else {
      bindText(this.status, this.state.tallies === null ? 'vote.closedSecret' : 'vote.closed')
    }
    const hasCounts = this.state.tallies !== null && this.state.ranking((id) => this.host.note(id) !== null).length > 0
    this.highlightButton.hidden = !hasCounts
    this.rankingButton.hidden = !hasCounts
    if (!hasCounts) {
      this.ranking.hidden = true
      this.setHighlight(false)
    }
    if (!this.ranking.hidden) this.renderRanking()
  }

  private toggleRanking(): void {
    const open = this.ranking.hidden
    this.ranking.hidden = !open
    this.rankingButton.setAttribute('aria-expanded', String(open))
    if (open) this.renderRanking()
  }

  private renderRanking(): void {
    const ranked = this.state.ranking((id) => this.host.note(id) !== null, 10)
    this.ranking.replaceChildren(...ranked.map(({ id, count }) => {
      const note = this.host.note(id)
      const text = note?.text.trim() ? note.text.slice(0, 80) : t('note.empty')
      const item = h('button', { class: 'vote-ranking__item', attrs: { type: 'button' }, on: { click: () => this.host.focusNote(id) } }, [
        h('span', { class: 'vote-ranking__count', text: String(count) }),
        h('span', { class: 'vote-ranking__text', text }),
      ])
      bindAttr(item, 'aria-label', 'vote.rankingItem', { text, count })
      return h('li', {}, [item])
    }))
  }

  private setHighlight(on: boolean): void {
    if (on === this.highlight) return
    this.highlight = on
    this.highlightButton.setAttribute('aria-pressed', String(on))
    document.querySelector('.board-screen')?.classList.toggle('is-highlighting-votes', on)
  }

  async cast(noteId: string, delta: 1 | -1): Promise<void> {
    if (this.pending > 0) return
    this.pending += 1
    const ack = asVoteAck(await this.host.connection.vote(noteId, delta))
    this.pending -= 1
    if (ack.ok) {
      this.state.remaining = ack.remaining
      this.renderStrip()
    } else {
      this.host.toast(t(voteErrorKey(ack.code)), 'error')
    }
  }

  /** Canvas decorator: the vote control and the count on one note. */
  decorate(data: NoteData, el: HTMLElement): void {
    const role = this.host.role()
    const canVote = this.state.canVote(role) && !data.private
    const count = data.private ? null : this.state.count(data.id)
    const mine = this.state.myVotes(data.id)
    el.classList.toggle('is-top-voted', this.top.has(data.id))
    let box = el.querySelector<HTMLElement>(':scope > .note__votes')
    if (!canVote && count === null) {
      box?.remove()
      return
    }
    const signature = `${canVote}|${count}|${mine}|${this.state.remaining}|${document.documentElement.lang}`
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
}
