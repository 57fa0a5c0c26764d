/** The timer section of the facilitator's panel: label, minutes, lock at the end, start, pause, resume, add a minute, reset. */
import type { TimerData } from '../../../facilitation/state'
import { setTimer } from '../../../facilitation/state'
import { MINUTE_MS, addMinute, pauseTimer, resetTimer, resumeTimer, startTimer, timerView } from '../../../facilitation/timer'
import { h } from '../../../lib/dom'
import type { BoardSession } from '../../../session/board-session'
import { button, buttons, check, field, row, section } from './panel-parts'

type TimerAction = 'start' | 'pause' | 'resume' | 'add' | 'reset'

export class TimerControls {
  readonly el: HTMLElement
  private readonly label: HTMLInputElement
  private readonly minutesInput: HTMLInputElement
  private readonly lock: HTMLInputElement
  private readonly start = button('timer.start', () => this.act('start'), 'button--primary')
  private readonly pause = button('timer.pause', () => this.act('pause'))
  private readonly resume = button('timer.resume', () => this.act('resume'), 'button--primary')
  private readonly add = button('timer.addMinute', () => this.act('add'))
  private readonly reset = button('timer.reset', () => this.act('reset'))

  /** `n`: the panel's number, in the fields' ids. */
  constructor(private readonly session: BoardSession, n: number) {
    this.label = h('input', { attrs: { id: `fp-timer-label-${n}`, type: 'text', maxlength: 80, autocomplete: 'off' } })
    this.minutesInput = h('input', { attrs: { id: `fp-timer-minutes-${n}`, type: 'number', min: 1, max: 240, step: 1, value: 5, inputmode: 'numeric' } })
    this.lock = h('input', { attrs: { id: `fp-timer-lock-${n}`, type: 'checkbox' } })
    this.label.addEventListener('change', () => setTimer(session.layout, { label: this.label.value.trim().slice(0, 80) }))
    this.minutesInput.addEventListener('change', () => {
      if (timerView(session.facilitation.timer, session.clock.now()).phase === 'idle') setTimer(session.layout, { durationMs: this.minutes() * MINUTE_MS })
    })
    this.lock.addEventListener('change', () => setTimer(session.layout, { lockOnEnd: this.lock.checked }))
    this.el = section('timer.title', [
      row([field('timer.label', this.label), field('timer.minutes', this.minutesInput)]),
      check(this.lock, 'timer.lockOnEnd'),
      buttons([this.start, this.pause, this.resume, this.add, this.reset]),
    ])
  }

  update(): void {
    const { timer } = this.session.facilitation
    const phase = timerView(timer, this.session.clock.now()).phase
    if (document.activeElement !== this.label) this.label.value = timer.label
    if (document.activeElement !== this.minutesInput && timer.durationMs > 0) this.minutesInput.value = String(Math.round(timer.durationMs / MINUTE_MS * 10) / 10)
    this.lock.checked = timer.lockOnEnd
    this.start.hidden = phase === 'running' || phase === 'paused'
    this.pause.hidden = phase !== 'running'
    this.resume.hidden = phase !== 'paused'
    this.reset.disabled = phase === 'idle'
  }

  private minutes(): number {
    const value = Number(this.minutesInput.value)
    return Number.isFinite(value) && value > 0 ? Math.min(240, value) : 5
  }

  private act(action: TimerAction): void {
    const layout = this.session.layout
    const timer: TimerData = this.session.facilitation.timer
    const now = this.session.clock.now()
    switch (action) {
      case 'start': {
        const next = { ...timer, durationMs: this.minutes() * MINUTE_MS, label: this.label.value.trim().slice(0, 80), lockOnEnd: this.lock.checked }
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
}
