/** The voting strip under the top bar: how many votes are left, the ranking of the notes, and the highlight of the top ones. */
import { bindAttr, bindText, t } from '../../../i18n'
import type { BoardCanvas } from '../../../board/canvas'
import { h } from '../../../lib/dom'
import type { BoardSession } from '../../../session/board-session'

export const TOP = 3
// Where a note's vote button may be too small for a finger (styles.css): the strip offers the list.
const TOUCH_QUERY = '(pointer: coarse), (max-width: 640px)'

export class VoteStrip {
  readonly el: HTMLElement
  private readonly status = h('span', { class: 'vote-strip__status', attrs: { 'aria-live': 'polite' } })
  private readonly highlightButton: HTMLButtonElement
  private readonly rankingButton: HTMLButtonElement
  /** A facilitator's choice to see a secret vote's counts on their own screen (hidden by default: it may be projected). */
  private readonly secretButton: HTMLButtonElement
  private readonly ranking = h('ol', { class: 'vote-ranking', attrs: { id: 'vote-ranking', hidden: true } })
  /** On a touch screen, voting from the list view, whose buttons are a finger's size at any zoom. */
  private readonly listButton: HTMLButtonElement
  private highlight = false

  constructor(private readonly session: BoardSession, private readonly canvas: BoardCanvas, openList: () => void) {
    this.listButton = bindText(h('button', { class: 'button button--small vote-strip__list', attrs: { type: 'button', hidden: true }, on: { click: openList } }), 'vote.inList')
    matchMedia(TOUCH_QUERY).addEventListener('change', () => this.render())
    this.highlightButton = bindText(h('button', { class: 'button button--small', attrs: { type: 'button', 'aria-pressed': 'false' }, on: { click: () => this.setHighlight(!this.highlight) } }), 'vote.highlight', { count: TOP })
    this.rankingButton = bindText(h('button', { class: 'button button--small', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'vote-ranking' }, on: { click: () => this.toggleRanking() } }), 'vote.sort')
    this.secretButton = h('button', { class: 'button button--small vote-strip__secret', attrs: { type: 'button', hidden: true }, on: { click: () => session.showSecretTallies(!session.votes.showSecretTallies) } })
    this.el = h('div', { class: 'vote-strip', attrs: { hidden: true } }, [
      h('span', { class: 'vote-strip__icon', attrs: { 'aria-hidden': 'true' }, text: '●' }),
      this.status,
      this.listButton,
      this.secretButton,
      this.rankingButton,
      this.highlightButton,
      this.ranking,
    ])
  }

  render(): void {
    const votes = this.session.votes
    const { voting } = votes
    this.el.hidden = voting.state === 'off'
    this.el.dataset.state = voting.state
    if (voting.state === 'off') return
    const canVote = votes.canVote(this.session.role)
    this.listButton.hidden = !(voting.state === 'open' && canVote && matchMedia(TOUCH_QUERY).matches)
    if (voting.state === 'open' && canVote) {
      const key = voting.secret && !voting.revealed ? 'vote.remainingSecret' : 'vote.remaining'
      bindText(this.status, key, { count: votes.remaining })
    } else if (voting.state === 'open') {
      bindText(this.status, 'vote.openObserver')
    } else {
      bindText(this.status, votes.showsCounts ? 'vote.closed' : 'vote.closedSecret')
    }
    this.secretButton.hidden = !votes.receivesSecretTallies
    bindText(this.secretButton, votes.showSecretTallies ? 'vote.hideSecret' : 'vote.showSecret')
    const hasCounts = votes.ranking((id) => this.canvas.note(id) !== null).length > 0
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
    const ranked = this.session.votes.ranking((id) => this.canvas.note(id) !== null, 10)
    this.ranking.replaceChildren(...ranked.map(({ id, count }) => {
      const note = this.canvas.note(id)
      const text = note?.text.trim() ? note.text.slice(0, 80) : t('note.empty')
      const item = h('button', { class: 'vote-ranking__item', attrs: { type: 'button' }, on: { click: () => this.canvas.focusNote(id) } }, [
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
}
