/** Timer arithmetic in server time (docs/board-schema.md: `endsAt` is server-time ms), and the clock corrected to it. */
// The local clock is corrected with the offset measured at `welcome` (`serverTime - Date.now()`).
import type { TimerData } from './state'

export type TimerPhase = 'idle' | 'running' | 'paused' | 'ended'

export interface TimerView {
  phase: TimerPhase
  /** Milliseconds left (the full duration while idle, 0 once ended). */
  remainingMs: number
}

export const MINUTE_MS = 60_000

export class ServerClock {
  offset = 0

  /** `serverTime` from `welcome`, and the local time when it arrived. */
  sync(serverTime: number, localNow = Date.now()): void {
    if (Number.isFinite(serverTime)) this.offset = serverTime - localNow
  }

  now(localNow = Date.now()): number {
    return localNow + this.offset
  }
}

export function timerView(timer: TimerData, serverNow: number): TimerView {
  if (timer.endsAt !== null) {
    const left = timer.endsAt - serverNow
    return left > 0 ? { phase: 'running', remainingMs: left } : { phase: 'ended', remainingMs: 0 }
  }
  if (timer.remainingMs !== null) return { phase: 'paused', remainingMs: Math.max(0, timer.remainingMs) }
  return { phase: 'idle', remainingMs: timer.durationMs }
}

/** "4:05", "1:02:03"; rounded up, so "0:00" shows only at the end. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const ss = String(seconds).padStart(2, '0')
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`
}

// The changes each facilitator control writes to the `timer` map.

export function startTimer(timer: TimerData, serverNow: number): Partial<TimerData> {
  return { endsAt: serverNow + timer.durationMs, remainingMs: null }
}

export function pauseTimer(timer: TimerData, serverNow: number): Partial<TimerData> {
  const view = timerView(timer, serverNow)
  if (view.phase !== 'running') return {}
  return { endsAt: null, remainingMs: view.remainingMs }
}

export function resumeTimer(timer: TimerData, serverNow: number): Partial<TimerData> {
  if (timer.endsAt !== null || timer.remainingMs === null) return {}
  return { endsAt: serverNow + timer.remainingMs, remainingMs: null }
}

export function resetTimer(): Partial<TimerData> {
  return { endsAt: null, remainingMs: null }
}

export function addMinute(timer: TimerData, serverNow: number): Partial<TimerData> {
  const view = timerView(timer, serverNow)
  switch (view.phase) {
    case 'running':
      return { endsAt: (timer.endsAt as number) + MINUTE_MS }
    case 'ended':
      return { endsAt: serverNow + MINUTE_MS, remainingMs: null }
    case 'paused':
      return { remainingMs: view.remainingMs + MINUTE_MS }
    case 'idle':
      return { durationMs: timer.durationMs + MINUTE_MS }
  }
}
