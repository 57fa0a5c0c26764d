/** Tests of presence: identity, throttling, drops and reconnection, against the in-memory server. */
import * as awarenessProtocol from 'y-protocols/awareness'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { FakeChannel, FakeServer, settle } from './fake-server'
import { MAX_DRAG_IDS, Presence, sendInterval } from './presence'

const identity = (name: string) => ({ participantId: `id-${name}`, name, color: '#2c5c8f', role: 'participant' })

describe('Presence', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  })
  afterEach(() => vi.useRealTimers())

  it('sends cursor moves at most once per interval, the last position winning', () => {
    const server = new FakeServer()
    const channel = new FakeChannel(server)
    channel.online = true
    const presence = new Presence(channel, new Y.Doc())
    presence.setIdentity(identity('Camille'))
    const sentBefore = channel.sent.length
    for (let i = 0; i < 50; i++) presence.update({ cursor: [i, i] })
    expect(channel.sent.length).toBe(sentBefore)
    vi.advanceTimersByTime(sendInterval(0))
    expect(channel.sent.length).toBe(sentBefore + 1)
    expect(presence.awareness.getLocalState()?.cursor).toEqual([49, 49])
    presence.destroy()
  })

  it('sends the end of a drag, resize or edit on the reliable path, and live moves on the volatile one', () => {
    // A busy socket drops volatile frames: a lost "drag ended" left the others drawing the note
    // offset by the last live move until this person's next presence.
    const server = new FakeServer()
    const channel = new FakeChannel(server)
    channel.online = true
    const presence = new Presence(channel, new Y.Doc())
    presence.setIdentity(identity('Camille'))
    const last = () => channel.sent[channel.sent.length - 1]
    expect(last()?.volatile).toBe(true)
    const gestures: Array<[Parameters<Presence['update']>[0], Parameters<Presence['update']>[0]]> = [
      [{ drag: { ids: ['a'], dx: 10, dy: 5 } }, { drag: null }],
      [{ resize: { id: 'a', w: 200, h: 150 } }, { resize: null }],
      [{ editing: 'a' }, { editing: null }],
    ]
    for (const [start, end] of gestures) {
      presence.update(start)
      presence.flush()
      expect(last()?.volatile).toBe(true)
      presence.update(end)
      presence.flush()
      expect(last()?.volatile).toBeUndefined()
      presence.update({ cursor: [1, 2] })
      presence.flush()
      expect(last()?.volatile).toBe(true)
    }
    presence.destroy()
  })

  it('slows down as more people are present, so 200 people do not flood anyone', () => {
    expect(sendInterval(0)).toBe(100)
    expect(sendInterval(200)).toBeGreaterThanOrEqual(1000)
    // Total frames per second everyone receives stays bounded.
    expect(200 * (1000 / sendInterval(200))).toBeLessThan(250)
  })

  it('does not send live drags of more notes than the presence budget allows', () => {
    const server = new FakeServer()
    const channel = new FakeChannel(server)
    const presence = new Presence(channel, new Y.Doc())
    presence.setIdentity(identity('Camille'))
    presence.update({ drag: { ids: Array.from({ length: MAX_DRAG_IDS + 1 }, (_, i) => `n${i}`), dx: 1, dy: 1 } })
    presence.flush()
    expect(presence.awareness.getLocalState()?.drag).toBeNull()
    presence.destroy()
  })

  it('forgets others when the connection drops, and accepts their states again on reconnection', async () => {
    vi.useRealTimers()
    const server = new FakeServer()
    const mine = new FakeChannel(server)
    const presence = new Presence(mine, new Y.Doc())
    mine.goOnline()
    // Someone else's state, as the server relays it.
    const other = new awarenessProtocol.Awareness(new Y.Doc())
    other.setLocalState(identity('Dominique'))
    const update = awarenessProtocol.encodeAwarenessUpdate(other, [other.clientID])
    presence.apply(update)
    expect([...presence.others().values()].map((s) => s.name)).toEqual(['Dominique'])

    mine.goOffline()
    expect(presence.others().size).toBe(0)
    // On reconnection the server sends the same state with the same clock: it must be shown.
    mine.goOnline()
    presence.apply(update)
    await settle()
    expect([...presence.others().values()].map((s) => s.name)).toEqual(['Dominique'])
    other.destroy()
    presence.destroy()
  })

  it('announces itself again after a reconnection, and says goodbye on leaving', () => {
    const server = new FakeServer()
    const channel = new FakeChannel(server)
    const presence = new Presence(channel, new Y.Doc())
    channel.goOnline()
    presence.setIdentity(identity('Camille'))
    const clock = (): number => presence.awareness.meta.get(presence.awareness.clientID)?.clock ?? -1
    const before = clock()
    channel.goOffline()
    channel.goOnline()
    expect(clock()).toBeGreaterThan(before)
    presence.leave()
    expect(presence.awareness.getLocalState()).toBeNull()
    presence.destroy()
  })
})
