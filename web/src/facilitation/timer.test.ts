/** Tests of the server clock, the timer's phases and the facilitation keys of the layout document. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readFacilitation, readTimer, setTimer, setVoting } from './state'
import { ServerClock, addMinute, formatRemaining, pauseTimer, resetTimer, resumeTimer, startTimer, timerView } from './timer'

const base = readTimer({ label: 'Écriture', durationMs: 5 * 60_000 })

describe('server clock', () => {
  it('corrects the local clock with welcome.serverTime', () => {
    const clock = new ServerClock()
    clock.sync(1_000_000, 990_000) // the server is 10 s ahead
    expect(clock.now(995_000)).toBe(1_005_000)
    clock.sync(Number.NaN, 0)
    expect(clock.offset).toBe(10_000)
  })

  it('a timer started by a server 10 s ahead shows the right time on a slow local clock', () => {
    const clock = new ServerClock()
    clock.sync(1_000_000, 990_000)
    const running = { ...base, ...startTimer(base, 1_000_000) }
    expect(timerView(running, clock.now(990_000 + 60_000)).remainingMs).toBe(4 * 60_000)
  })
})

describe('timer phases', () => {
  it('is idle with its full duration, running, paused, ended', () => {
    expect(timerView(base, 0)).toEqual({ phase: 'idle', remainingMs: 300_000 })
    const running = { ...base, ...startTimer(base, 1_000) }
    expect(running.endsAt).toBe(301_000)
    expect(timerView(running, 61_000)).toEqual({ phase: 'running', remainingMs: 240_000 })
    const paused = { ...running, ...pauseTimer(running, 61_000) }
    expect(paused.endsAt).toBeNull()
    expect(timerView(paused, 500_000)).toEqual({ phase: 'paused', remainingMs: 240_000 })
    const resumed = { ...paused, ...resumeTimer(paused, 500_000) }
    expect(timerView(resumed, 520_000)).toEqual({ phase: 'running', remainingMs: 220_000 })
    expect(timerView(resumed, 740_000)).toEqual({ phase: 'ended', remainingMs: 0 })
    expect(timerView({ ...resumed, ...resetTimer() }, 0)).toEqual({ phase: 'idle', remainingMs: 300_000 })
  })

  it('adds a minute in every phase', () => {
    const running = { ...base, ...startTimer(base, 0) }
    expect(addMinute(running, 10_000)).toEqual({ endsAt: 360_000 })
    expect(addMinute(running, 400_000)).toEqual({ endsAt: 460_000, remainingMs: null })
    const paused = { ...running, ...pauseTimer(running, 100_000) }
    expect(addMinute(paused, 0)).toEqual({ remainingMs: 260_000 })
    expect(addMinute(base, 0)).toEqual({ durationMs: 360_000 })
  })

  it('pausing a timer that is not running changes nothing', () => {
    expect(pauseTimer(base, 0)).toEqual({})
    expect(resumeTimer(base, 0)).toEqual({})
  })

  it('formats the time left, rounded up', () => {
    expect(formatRemaining(0)).toBe('0:00')
    expect(formatRemaining(1)).toBe('0:01')
    expect(formatRemaining(65_000)).toBe('1:05')
    expect(formatRemaining(3_723_000)).toBe('1:02:03')
  })
})

describe('layout document', () => {
  it('reads and writes the timer and the voting map', () => {
    const doc = new Y.Doc()
    expect(readFacilitation(doc).voting).toEqual({ state: 'off', secret: true, revealed: false, budget: 5 })
    setTimer(doc, { label: 'Pause', durationMs: 60_000, endsAt: null, remainingMs: null, lockOnEnd: true })
    setVoting(doc, { state: 'open', budget: 3 })
    const read = readFacilitation(doc)
    expect(read.timer).toEqual({ label: 'Pause', durationMs: 60_000, endsAt: null, remainingMs: null, lockOnEnd: true })
    expect(read.voting).toEqual({ state: 'open', secret: true, revealed: false, budget: 3 })
    expect(doc.getMap('meta').get('voting')).toBeInstanceOf(Y.Map)
  })

  it('accepts a plain-object voting value and odd values', () => {
    const doc = new Y.Doc()
    doc.getMap('meta').set('voting', { state: 'weird', secret: false, budget: 1e9 })
    expect(readFacilitation(doc).voting).toEqual({ state: 'off', secret: false, revealed: false, budget: 100 })
    setVoting(doc, { revealed: true })
    expect(readFacilitation(doc).voting.revealed).toBe(true)
    expect(readFacilitation(doc).voting.secret).toBe(false)
  })
})
