/** Tests of one document's sync against the in-memory server: handshake, writes, refusals, reconnection. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { DocSync } from './doc-sync'
import { FakeChannel, FakeServer, settle } from './fake-server'
import type { WireError } from './protocol'

function client(server: FakeServer, name = 'notes') {
  const channel = new FakeChannel(server)
  const refusals: WireError[] = []
  const replaced: Y.Doc[] = []
  let synced = 0
  const sync = new DocSync(channel, name, {
    onRefused: (error) => refusals.push(error),
    onReplaced: (doc) => replaced.push(doc),
    onSynced: () => synced++,
  })
  return { channel, sync, refusals, replaced, synced: () => synced }
}

const texts = (doc: Y.Doc): string[] => [...doc.getMap<Y.Text>('notes').values()].map((t) => t.toString()).sort()

function addNote(doc: Y.Doc, id: string, text: string): void {
  doc.transact(() => doc.getMap('notes').set(id, new Y.Text(text)))
}

describe('DocSync', () => {
  it('gets the board on the handshake and sends what the server lacks', async () => {
    const server = new FakeServer()
    addNote(server.doc('notes'), 'a', 'on the server')
    const a = client(server)
    addNote(a.sync.doc, 'b', 'made before connecting')
    a.channel.goOnline()
    await settle()
    expect(a.sync.isSynced).toBe(true)
    expect(a.synced()).toBe(1)
    expect(texts(a.sync.doc)).toEqual(['made before connecting', 'on the server'])
    expect(texts(server.doc('notes'))).toEqual(['made before connecting', 'on the server'])
    expect(a.sync.saveState).toBe('saved')
  })

  it('sends each local change as an acknowledged write that others receive', async () => {
    const server = new FakeServer()
    const a = client(server)
    const b = client(server)
    a.channel.goOnline()
    b.channel.goOnline()
    await settle()
    addNote(a.sync.doc, 'n', 'Bonjour')
    expect(a.sync.saveState).toBe('saving')
    await settle()
    expect(a.sync.saveState).toBe('saved')
    expect(texts(b.sync.doc)).toEqual(['Bonjour'])
  })

  it('keeps edits made offline and sends them on reconnection', async () => {
    const server = new FakeServer()
    const a = client(server)
    const b = client(server)
    a.channel.goOnline()
    b.channel.goOnline()
    await settle()
    a.channel.goOffline()
    addNote(a.sync.doc, 'x', 'written offline')
    addNote(b.sync.doc, 'y', 'written meanwhile')
    await settle()
    expect(a.sync.saveState).toBe('unsent')
    a.channel.goOnline()
    await settle()
    expect(texts(a.sync.doc)).toEqual(['written meanwhile', 'written offline'])
    expect(texts(b.sync.doc)).toEqual(['written meanwhile', 'written offline'])
    expect(a.sync.saveState).toBe('saved')
    expect(a.refusals).toEqual([])
  })

  it('after a refused write, drops its copy for a fresh one with a new client id, and says why', async () => {
    const server = new FakeServer()
    addNote(server.doc('notes'), 'kept', 'already there')
    const a = client(server)
    a.channel.goOnline()
    await settle()
    const before = a.sync.doc
    server.refuse = () => 'board_locked'
    addNote(a.sync.doc, 'refused', 'while locked')
    await settle()
    expect(a.refusals.map((e) => e.code)).toEqual(['board_locked'])
    expect(a.replaced).toHaveLength(1)
    expect(a.sync.doc).not.toBe(before)
    expect(a.sync.doc.clientID).not.toBe(before.clientID)
    expect(texts(a.sync.doc)).toEqual(['already there'])
    expect(texts(server.doc('notes'))).toEqual(['already there'])

    // Writing works again once the board accepts writes: nothing builds on the refused change.
    server.refuse = null
    addNote(a.sync.doc, 'after', 'after unlocking')
    await settle()
    expect(texts(server.doc('notes'))).toEqual(['after unlocking', 'already there'])
    expect(a.refusals).toHaveLength(1)
  })

  it('counts only the first refusal of a burst', async () => {
    const server = new FakeServer()
    const a = client(server)
    a.channel.goOnline()
    await settle()
    server.refuse = () => 'rate_limited'
    for (let i = 0; i < 5; i++) addNote(a.sync.doc, `n${i}`, 'x')
    await settle()
    expect(a.refusals).toHaveLength(1)
    expect(a.replaced).toHaveLength(1)
  })

  it('does not resync when an acknowledgement is lost with the connection', async () => {
    const server = new FakeServer()
    const a = client(server)
    a.channel.goOnline()
    await settle()
    a.channel.online = false // the network drops before the status says so
    addNote(a.sync.doc, 'n', 'in flight')
    await settle()
    expect(a.refusals).toEqual([])
    expect(a.replaced).toEqual([])
    a.channel.goOffline()
    a.channel.goOnline()
    await settle()
    expect(texts(server.doc('notes'))).toEqual(['in flight'])
  })
})

describe('DocSync while the server cannot store (`unavailable`)', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  /** Fake timers for the retries; the fake server's deliveries are microtasks and run meanwhile. */
  const tick = async (ms: number): Promise<void> => {
    await vi.advanceTimersByTimeAsync(ms)
  }

  async function pausedClient() {
    vi.useFakeTimers()
    const server = new FakeServer()
    const a = client(server)
    const b = client(server)
    a.channel.goOnline()
    b.channel.goOnline()
    await tick(0)
    return { server, a, b }
  }

  it('keeps the edit, says saving is paused, and sends it again once the server stores again', async () => {
    const { server, a, b } = await pausedClient()
    server.refuse = () => 'unavailable'
    addNote(a.sync.doc, 'n1', 'kept')
    await tick(0)
    expect(a.sync.saveState).toBe('paused')
    // Not a refusal of the edit: no resync, nothing dropped, nobody told it was refused.
    expect(a.refusals).toEqual([])
    expect(a.replaced).toEqual([])
    expect(texts(a.sync.doc)).toEqual(['kept'])
    expect(texts(server.doc('notes'))).toEqual([])

    // Edits made meanwhile build on the held one: they wait with it instead of going out alone.
    const sentBefore = a.channel.sent.length
    addNote(a.sync.doc, 'n2', 'made while paused')
    await tick(0)
    expect(a.channel.sent.length).toBe(sentBefore)
    expect(a.sync.saveState).toBe('paused')

    server.refuse = null
    await tick(1_300)
    expect(texts(server.doc('notes'))).toEqual(['kept', 'made while paused'])
    expect(texts(b.sync.doc)).toEqual(['kept', 'made while paused'])
    expect(a.sync.saveState).toBe('saved')
    // One merged write for both.
    expect(a.channel.sent.length).toBe(sentBefore + 1)

    // And later edits go out one by one again, at once.
    addNote(a.sync.doc, 'n3', 'after')
    await tick(0)
    expect(texts(server.doc('notes'))).toEqual(['after', 'kept', 'made while paused'])
    expect(a.refusals).toEqual([])
  })

  it('tries again less and less often while the server still cannot store', async () => {
    const { server, a } = await pausedClient()
    let refusedWrites = 0
    server.refuse = () => {
      refusedWrites += 1
      return 'unavailable'
    }
    addNote(a.sync.doc, 'n1', 'kept')
    await tick(0)
    expect(refusedWrites).toBe(1)
    // Retries after about 1, 2, 4 and 8 seconds (each within a quarter either way), then 10.
    await tick(700)
    expect(refusedWrites).toBe(1)
    await tick(600)
    expect(refusedWrites).toBe(2)
    await tick(30_000 - 1_300)
    expect(refusedWrites).toBeGreaterThanOrEqual(5)
    expect(refusedWrites).toBeLessThanOrEqual(7)
    expect(a.sync.saveState).toBe('paused')
    server.refuse = null
    await tick(12_500)
    expect(a.sync.saveState).toBe('saved')
    expect(texts(server.doc('notes'))).toEqual(['kept'])
  })

  it('after a reconnection, the handshake carries the held edits', async () => {
    const { server, a } = await pausedClient()
    server.refuse = () => 'unavailable'
    addNote(a.sync.doc, 'n1', 'kept')
    await tick(0)
    expect(a.sync.saveState).toBe('paused')
    a.channel.goOffline()
    server.refuse = null
    a.channel.goOnline()
    await tick(0)
    expect(texts(server.doc('notes'))).toEqual(['kept'])
    expect(a.sync.saveState).toBe('saved')
    expect(a.refusals).toEqual([])
  })

  it('still drops its copy after a refusal of the edit itself', async () => {
    const { server, a } = await pausedClient()
    server.refuse = () => 'unavailable'
    addNote(a.sync.doc, 'n1', 'kept')
    await tick(0)
    server.refuse = () => 'board_locked'
    await tick(1_300)
    expect(a.refusals.map((e) => e.code)).toEqual(['board_locked'])
    expect(a.replaced).toHaveLength(1)
    expect(a.sync.saveState).toBe('saved')
  })
})
