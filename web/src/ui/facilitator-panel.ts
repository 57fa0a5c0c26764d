/**
 * The facilitator's panel (reachable from the toolbar's facilitator group): timer, dot voting,
 * session settings (anonymous, private writing, follow me, join code, QR screen) and the board
 * (duplicate, save as template, template file). Every control writes the `layout` document or
 * calls the HTTP API; the server enforces it all, this only mirrors it.
 */
import { type Key, bindAttr, bindText, t } from '../i18n'
import type { Facilitation } from '../facilitation/state'
import { type TimerData, setMeta, setTimer, setVoting } from '../facilitation/state'
import { MINUTE_MS, type ServerClock, addMinute, pauseTimer, resetTimer, resumeTimer, startTimer, timerView } from '../facilitation/timer'
import { h } from './dom'
import { duplicateBoard, saveAsTemplate, setJoinOpen, templateFileUrl } from './facilitation-api'
import type * as Y from 'yjs'
import * as storage from './storage'

export interface PanelHost {
  boardId: string
  token: string
  participantId: string
  clock: ServerClock
  layout(): Y.Doc
  state(): Facilitation
  anonymous(): boolean
  title(): string
  joinOpen(): boolean | null
  setJoinOpenKnown(open: boolean): void
  showQr(): void
  toast(text: string, kind?: 'error'): void
}

let uid = 0

function field(label: Key, input: HTMLElement): HTMLElement {
  return h('div', { class: 'fpanel__field' }, [bindText(h('label', { attrs: { for: input.id } }), label), input])
}

function button(key: Key, onClick: () => void, extra = ''): HTMLButtonElement {
  return bindText(h('button', { class: `button button--small ${extra}`, attrs: { type: 'button' }, on: { click: onClick } }), key)
}

function switchButton(key: Key, onClick: () => void): HTMLButtonElement {
  const el = h('button', { class: 'switch', attrs: { type: 'button', role: 'switch', 'aria-checked': 'false' }, on: { click: onClick } }, [
    h('span', { class: 'switch__track', attrs: { 'aria-hidden': 'true' } }),
  ])
  el.append(bindText(h('span', { class: 'switch__label' }), key))
  return el
}

export class FacilitatorPanel {
  readonly el: HTMLElement
  private readonly timerLabel = h('input', { attrs: { id: `fp-timer-label-${++uid}`, type: 'text', maxlength: 80, autocomplete: 'off' } })
  private readonly timerMinutes = h('input', { attrs: { id: `fp-timer-minutes-${uid}`, type: 'number', min: 1, max: 240, step: 1, value: 5, inputmode: 'numeric' } })
  private readonly timerLock = h('input', { attrs: { id: `fp-timer-lock-${uid}`, type: 'checkbox' } })
  private readonly timerStart = button('timer.start', () => this.timerAction('start'), 'button--primary')
  private readonly timerPause = button('timer.pause', () => this.timerAction('pause'))
  private readonly timerResume = button('timer.resume', () => this.timerAction('resume'), 'button--primary')
  private readonly timerAdd = button('timer.addMinute', () => this.timerAction('add'))
  private readonly timerReset = button('timer.reset', () => this.timerAction('reset'))
  private readonly voteBudget = h('input', { attrs: { id: `fp-vote-budget-${uid}`, type: 'number', min: 1, max: 100, step: 1, value: 5, inputmode: 'numeric' } })
  private readonly voteSecret = h('input', { attrs: { id: `fp-vote-secret-${uid}`, type: 'checkbox', checked: true } })
  private readonly voteOpen = button('vote.open', () => this.voteAction('open'), 'button--primary')
  private readonly voteClose = button('vote.closeVoting', () => this.voteAction('close'))
  private readonly voteReveal = button('vote.reveal', () => this.voteAction('reveal'), 'button--primary')
  private readonly voteOff = button('vote.off', () => this.voteAction('off'))
  private readonly voteStatus = h('p', { class: 'fpanel__status', attrs: { 'aria-live': 'polite' } })
  private readonly anonymousSwitch = switchButton('session.anonymous', () => setMeta(this.host.layout(), { anonymous: !this.host.anonymous() }))
  private readonly privateSwitch = switchButton('session.private', () => setMeta(this.host.layout(), { privateWriting: !this.host.state().privateWriting }))
  private readonly followSwitch = switchButton('session.follow', () => {
    const mine = this.host.state().follow === this.host.participantId
    setMeta(this.host.layout(), { follow: mine ? null : this.host.participantId })
  })
  private readonly joinSwitch = switchButton('session.joinOpen', () => void this.toggleJoin())
  private readonly dupTitle = h('input', { attrs: { id: `fp-dup-title-${uid}`, type: 'text', maxlength: 200, autocomplete: 'off' } })
  private readonly dupNotes = h('input', { attrs: { id: `fp-dup-notes-${uid}`, type: 'checkbox', checked: true } })
  private readonly tplName = h('input', { attrs: { id: `fp-tpl-name-${uid}`, type: 'text', maxlength: 80, autocomplete: 'off' } })
  private readonly tplDescription = h('textarea', { attrs: { id: `fp-tpl-desc-${uid}`, maxlength: 300, rows: 2 } })
  private readonly tplResult = h('p', { class: 'fpanel__status', attrs: { 'aria-live': 'polite' } })
  private readonly originalTemplate = bindText(h('a', { class: 'button button--small', attrs: { download: '' } }), 'template.downloadOriginal')

  constructor(private readonly host: PanelHost, onClose: () => void) {
    const close = bindText(h('button', { class: 'button button--small', attrs: { type: 'button' }, on: { click: onClose } }), 'share.close')
    this.timerLabel.addEventListener('change', () => setTimer(host.layout(), { label: this.timerLabel.value.trim().slice(0, 80) }))
    this.timerMinutes.addEventListener('change', () => {
      if (timerView(host.state().timer, host.clock.now()).phase === 'idle') setTimer(host.layout(), { durationMs: this.minutes() * MINUTE_MS })
    })
    this.timerLock.addEventListener('change', () => setTimer(host.layout(), { lockOnEnd: this.timerLock.checked }))
    this.voteBudget.addEventListener('change', () => setVoting(host.layout(), { budget: this.budget() }))
    this.voteSecret.addEventListener('change', () => setVoting(host.layout(), { secret: this.voteSecret.checked }))
    bindAttr(this.tplDescription, 'placeholder', 'template.descriptionPlaceholder')

    const section = (title: Key, children: HTMLElement[]): HTMLElement => {
      const id = `fp-section-${++uid}`
      return h('section', { class: 'fpanel__section', attrs: { 'aria-labelledby': id } }, [bindText(h('h3', { attrs: { id } }), title), ...children])
    }
    const check = (input: HTMLInputElement, key: Key): HTMLElement =>
      h('div', { class: 'fpanel__check' }, [input, bindText(h('label', { attrs: { for: input.id } }), key)])

    this.el = h('div', { class: 'fpanel' }, [
      h('div', { class: 'side-panel__head' }, [bindText(h('h2', { attrs: { id: 'facilitation-title' } }), 'facilitation.title'), close]),
      section('timer.title', [
        h('div', { class: 'fpanel__row' }, [field('timer.label', this.timerLabel), field('timer.minutes', this.timerMinutes)]),
        check(this.timerLock, 'timer.lockOnEnd'),
        h('div', { class: 'fpanel__buttons' }, [this.timerStart, this.timerPause, this.timerResume, this.timerAdd, this.timerReset]),
      ]),
      section('vote.title', [
        h('div', { class: 'fpanel__row' }, [field('vote.budget', this.voteBudget)]),
        check(this.voteSecret, 'vote.secret'),
        this.voteStatus,
        h('div', { class: 'fpanel__buttons' }, [this.voteOpen, this.voteClose, this.voteReveal, this.voteOff]),
      ]),
      section('session.title', [
        this.anonymousSwitch,
        this.privateSwitch,
        this.followSwitch,
        this.joinSwitch,
        h('div', { class: 'fpanel__buttons' }, [button('qr.show', () => host.showQr())]),
      ]),
      section('board.section', [
        bindText(h('h4', {}), 'duplicate.title'),
        field('duplicate.newTitle', this.dupTitle),
        check(this.dupNotes, 'duplicate.withNotes'),
        h('div', { class: 'fpanel__buttons' }, [button('duplicate.submit', () => void this.duplicate())]),
        bindText(h('h4', {}), 'template.saveTitle'),
        field('template.name', this.tplName),
        field('template.description', this.tplDescription),
        h('div', { class: 'fpanel__buttons' }, [button('template.save', () => void this.saveTemplate())]),
        this.tplResult,
        h('div', { class: 'fpanel__buttons' }, [this.originalTemplate]),
      ]),
    ])
  }

  private minutes(): number {
    const value = Number(this.timerMinutes.value)
    return Number.isFinite(value) && value > 0 ? Math.min(240, value) : 5
  }

  private budget(): number {
    const value = Math.floor(Number(this.voteBudget.value))
    return Number.isFinite(value) && value > 0 ? Math.min(100, value) : 5
  }

  /** Reflect the board's state (called on every layout change and when the panel opens). */
  update(): void {
    const { timer, voting, privateWriting, follow, template } = this.host.state()
    const phase = timerView(timer, this.host.clock.now()).phase
    if (document.activeElement !== this.timerLabel) this.timerLabel.value = timer.label
    if (document.activeElement !== this.timerMinutes && timer.durationMs > 0) this.timerMinutes.value = String(Math.round(timer.durationMs / MINUTE_MS * 10) / 10)
    this.timerLock.checked = timer.lockOnEnd
    this.timerStart.hidden = phase === 'running' || phase === 'paused'
    this.timerPause.hidden = phase !== 'running'
    this.timerResume.hidden = phase !== 'paused'
    this.timerReset.disabled = phase === 'idle'
    if (document.activeElement !== this.voteBudget) this.voteBudget.value = String(voting.budget)
    this.voteSecret.checked = voting.secret
    this.voteOpen.hidden = voting.state === 'open'
    bindText(this.voteOpen, voting.state === 'closed' ? 'vote.reopen' : 'vote.open')
    this.voteClose.hidden = voting.state !== 'open'
    this.voteReveal.hidden = !(voting.state !== 'off' && voting.secret && !voting.revealed)
    this.voteOff.hidden = voting.state === 'off'
    bindText(this.voteStatus, `vote.status.${voting.state}` as Key, { count: voting.budget })
    const setSwitch = (el: HTMLElement, on: boolean): void => el.setAttribute('aria-checked', String(on))
    setSwitch(this.anonymousSwitch, this.host.anonymous())
    setSwitch(this.privateSwitch, privateWriting)
    setSwitch(this.followSwitch, follow === this.host.participantId)
    const joinOpen = this.host.joinOpen()
    setSwitch(this.joinSwitch, joinOpen !== false)
    this.joinSwitch.toggleAttribute('disabled', joinOpen === null)
    if (!this.dupTitle.value && this.host.title()) this.dupTitle.value = t('duplicate.defaultTitle', { title: this.host.title() })
    this.originalTemplate.hidden = !template || template === 'blank'
    if (template) this.originalTemplate.setAttribute('href', templateFileUrl(template))
  }

  private timerAction(action: 'start' | 'pause' | 'resume' | 'add' | 'reset'): void {
    const layout = this.host.layout()
    const timer: TimerData = this.host.state().timer
    const now = this.host.clock.now()
    switch (action) {
      case 'start': {
        const next = { ...timer, durationMs: this.minutes() * MINUTE_MS, label: this.timerLabel.value.trim().slice(0, 80), lockOnEnd: this.timerLock.checked }
        setTimer(layout, { durationMs: next.durationMs, label: next.label, lockOnEnd: next.lockOnEnd, ...startTimer(next, now) })
        break
      }
      case 'pause':
        setTimer(layout, pauseTimer(timer, now))
        break
      case 'resume':
        setTimer(layout, resumeTimer(timer, now))
        break
      case 'add':
        setTimer(layout, addMinute(timer, now))
        break
      case 'reset':
        setTimer(layout, resetTimer())
        break
    }
  }

  private voteAction(action: 'open' | 'close' | 'reveal' | 'off'): void {
    const layout = this.host.layout()
    switch (action) {
      case 'open': {
        const reopening = this.host.state().voting.state === 'closed'
        setVoting(layout, { state: 'open', budget: this.budget(), secret: this.voteSecret.checked, ...(reopening ? {} : { revealed: false }) })
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

  private async toggleJoin(): Promise<void> {
    const open = this.host.joinOpen() === false
    const answer = await setJoinOpen(this.host.boardId, this.host.token, open)
    if (!answer.ok) {
      this.host.toast(t(`error.${answer.error.code}` as Key), 'error')
      return
    }
    this.host.setJoinOpenKnown(answer.value.joinOpen)
    this.host.toast(t(answer.value.joinOpen ? 'session.joinOpened' : 'session.joinClosed'))
    this.update()
  }

  private async duplicate(): Promise<void> {
    const title = this.dupTitle.value.trim() || t('duplicate.defaultTitle', { title: this.host.title() })
    const answer = await duplicateBoard(this.host.boardId, this.host.token, title.slice(0, 200), this.dupNotes.checked)
    if (!answer.ok) {
      this.host.toast(t(`error.${answer.error.code}` as Key), 'error')
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
    const answer = await saveAsTemplate(this.host.boardId, this.host.token, name, this.tplDescription.value.trim())
    if (!answer.ok) {
      this.tplResult.removeAttribute('data-i18n')
      this.tplResult.textContent = answer.error.message || t(`error.${answer.error.code}` as Key)
      return
    }
    const saved = answer.value
    const download = bindText(h('a', { class: 'button button--small', attrs: { href: templateFileUrl(saved.id), download: `${saved.id}.toml` } }), 'template.download')
    this.tplResult.replaceChildren(bindText(h('span', {}), 'template.saved', { name: saved.name }), ' ', download)
    this.tplResult.removeAttribute('data-i18n')
  }
}
