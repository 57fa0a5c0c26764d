/** The timer everyone sees (large on the projector), counting down in server time from the board's `timer`. */
import { bindAttr, onLocaleChange, t } from '../../../i18n'
import type { TimerData } from '../../../facilitation/state'
import { type TimerPhase, formatRemaining, timerView } from '../../../facilitation/timer'
import { h, svg } from '../../../lib/dom'
import type { BoardSession } from '../../../session/board-session'
import type { Toasts } from '../../widgets/toasts'

// The end is marked calmly: a soft highlight, a spoken announcement, a toast, and a short sound
// only if the person has interacted with the page (browsers allow no sound before that anyway).

const TICK_MS = 250

export class TimerWidget {
  readonly el: HTMLElement
  private readonly label = h('span', { class: 'timer__label' })
  private readonly time = h('span', { class: 'timer__time' })
  private readonly announce = h('span', { class: 'visually-hidden', attrs: { 'aria-live': 'polite' } })
  private timer: TimerData | null = null
  private phase: TimerPhase | null = null
  private tick: ReturnType<typeof setInterval> | undefined

  constructor(private readonly session: BoardSession, private readonly toasts: Toasts) {
    this.el = h('div', { class: 'timer', attrs: { role: 'timer', hidden: true } }, [
      clockIcon(),
      this.label,
      this.time,
      this.announce,
    ])
    bindAttr(this.el, 'aria-label', 'timer.title')
    session.on('welcome', () => this.update(session.facilitation.timer))
    session.on('layout', ({ before }) => {
      if (JSON.stringify(before.facilitation.timer) !== JSON.stringify(session.facilitation.timer)) this.update(session.facilitation.timer)
    })
    onLocaleChange(() => this.refresh())
  }

  private update(timer: TimerData): void {
    this.timer = timer
    this.render(false)
    clearInterval(this.tick)
    this.tick = undefined
    if (this.phase === 'running') this.tick = setInterval(() => this.render(true), TICK_MS)
  }

  /** Language change: the texts again. */
  private refresh(): void {
    if (this.timer) this.render(false)
  }

  private render(live: boolean): void {
    const timer = this.timer
    if (!timer) return
    const view = timerView(timer, this.session.clock.now())
    const before = this.phase
    this.phase = view.phase
    const visible = view.phase !== 'idle' || timer.durationMs > 0
    this.el.hidden = !visible
    this.el.dataset.phase = view.phase
    this.label.textContent = timer.label
    this.label.hidden = !timer.label
    const text = view.phase === 'ended' ? t('timer.ended') : formatRemaining(view.remainingMs)
    if (this.time.textContent !== text) this.time.textContent = text
    this.el.classList.toggle('is-paused', view.phase === 'paused')
    this.el.classList.toggle('is-ended', view.phase === 'ended')
    this.el.classList.toggle('is-soon', view.phase === 'running' && view.remainingMs <= 60_000)
    if (live && before === 'running' && view.phase === 'ended') {
      clearInterval(this.tick)
      this.tick = undefined
      this.announce.textContent = t('timer.endedAnnounce', { label: timer.label || t('timer.title') })
      this.el.classList.remove('is-signalling')
      void this.el.offsetWidth
      this.el.classList.add('is-signalling')
      chime()
      this.toasts.show(t('timer.endedToast', { label: this.session.facilitation.timer.label || t('timer.title') }))
    }
  }

  destroy(): void {
    clearInterval(this.tick)
  }
}

/** Two soft notes, only after a user gesture on this page. */
function chime(): void {
  const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation
  if (!activation?.hasBeenActive) return
  try {
    const audio = new AudioContext()
    const notes = [660, 880]
    notes.forEach((frequency, i) => {
      const osc = audio.createOscillator()
      const gain = audio.createGain()
      osc.type = 'sine'
      osc.frequency.value = frequency
      const start = audio.currentTime + i * 0.25
      gain.gain.setValueAtTime(0.0001, start)
      gain.gain.exponentialRampToValueAtTime(0.08, start + 0.03)
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.35)
      osc.connect(gain).connect(audio.destination)
      osc.start(start)
      osc.stop(start + 0.4)
    })
    setTimeout(() => void audio.close(), 1500)
  } catch {
    // No audio here: the visual signal is enough.
  }
}

function clockIcon(): SVGSVGElement {
  return svg('svg', { class: 'timer__icon', viewBox: '0 0 24 24', 'aria-hidden': 'true', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round' }, [
    svg('circle', { cx: 12, cy: 13, r: 8 }),
    svg('path', { d: 'M12 9v4l3 2M9 2h6' }),
  ])
}
