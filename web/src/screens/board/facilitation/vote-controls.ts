/** The dot voting section of the facilitator's panel: budget, secret ballot, open, close, reveal, turn off. */
import { type Key, bindText } from '../../../i18n'
import { setVoting } from '../../../facilitation/state'
import { h } from '../../../lib/dom'
import type { BoardSession } from '../../../session/board-session'
import { button, buttons, check, field, row, section } from './panel-parts'

type VoteAction = 'open' | 'close' | 'reveal' | 'off'

export class VoteControls {
  readonly el: HTMLElement
  private readonly budgetInput: HTMLInputElement
  private readonly secret: HTMLInputElement
  private readonly open = button('vote.open', () => this.act('open'), 'button--primary')
  private readonly close = button('vote.closeVoting', () => this.act('close'))
  private readonly reveal = button('vote.reveal', () => this.act('reveal'), 'button--primary')
  private readonly off = button('vote.off', () => this.act('off'))
  private readonly status = h('p', { class: 'fpanel__status', attrs: { 'aria-live': 'polite' } })
  /** How many people voted (the server counts them: docs/protocol.md section 5). */
  private readonly voters = h('p', { class: 'fpanel__status fpanel__voters', attrs: { 'aria-live': 'polite', hidden: true } })

  /** `n`: the panel's number, in the fields' ids. */
  constructor(private readonly session: BoardSession, n: number) {
    this.budgetInput = h('input', { attrs: { id: `fp-vote-budget-${n}`, type: 'number', min: 1, max: 100, step: 1, value: 5, inputmode: 'numeric' } })
    this.secret = h('input', { attrs: { id: `fp-vote-secret-${n}`, type: 'checkbox', checked: true } })
    this.budgetInput.addEventListener('change', () => setVoting(session.layout, { budget: this.budget() }))
    this.secret.addEventListener('change', () => setVoting(session.layout, { secret: this.secret.checked }))
    session.on('votes', () => this.showVoters())
    this.el = section('vote.title', [
      row([field('vote.budget', this.budgetInput)]),
      check(this.secret, 'vote.secret'),
      this.status,
      this.voters,
      buttons([this.open, this.close, this.reveal, this.off]),
    ])
  }

  update(): void {
    const { voting } = this.session.facilitation
    if (document.activeElement !== this.budgetInput) this.budgetInput.value = String(voting.budget)
    this.secret.checked = voting.secret
    this.open.hidden = voting.state === 'open'
    bindText(this.open, voting.state === 'closed' ? 'vote.reopen' : 'vote.open')
    this.close.hidden = voting.state !== 'open'
    this.reveal.hidden = !(voting.state !== 'off' && voting.secret && !voting.revealed)
    this.off.hidden = voting.state === 'off'
    bindText(this.status, `vote.status.${voting.state}` as Key, { count: voting.budget })
    this.showVoters()
  }

  private showVoters(): void {
    const { voters } = this.session.votes
    this.voters.hidden = voters === null || this.session.facilitation.voting.state === 'off'
    if (voters !== null) bindText(this.voters, voters === 0 ? 'vote.votersNone' : 'vote.voters', { count: voters })
  }

  private budget(): number {
    const value = Math.floor(Number(this.budgetInput.value))
    return Number.isFinite(value) && value > 0 ? Math.min(100, value) : 5
  }

  private act(action: VoteAction): void {
    const layout = this.session.layout
    switch (action) {
      case 'open': {
        const reopening = this.session.facilitation.voting.state === 'closed'
        setVoting(layout, { state: 'open', budget: this.budget(), secret: this.secret.checked, ...(reopening ? {} : { revealed: false }) })
        break
      }
      case 'close':
        setVoting(layout, { state: 'closed' })
        break
      case 'reveal':
        setVoting(layout, { revealed: true })
        break
      case 'off':
        setVoting(layout, { state: 'off', revealed: false })
        break
    }
  }
}
