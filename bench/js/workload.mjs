// What participants do (create, edit and move notes) and how each write is followed to every
// other participant (fan-out latency) and back to its writer (acknowledgement latency).

import { readFileSync } from 'node:fs'
import * as Y from 'yjs'

const COLORS = ['yellow', 'orange', 'pink', 'red', 'green', 'blue', 'purple', 'grey']
const WORDS = ['idée', 'objectif', 'risque', 'action', 'question', 'budget', 'équipe', 'délai']

/** A small deterministic generator, so Ardoise and Hocuspocus get the very same sequence. */
export function makeRandom (seed) {
  let state = seed >>> 0
  return () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A note as docs/board-schema.md describes it (`notes` document). */
export function newNote (id, text, random, who) {
  return new Y.Map([
    ['text', new Y.Text(text)],
    ['rect', [Math.round(random() * 4000), Math.round(random() * 3000), 160, 100]],
    ['color', COLORS[Math.floor(random() * COLORS.length)]],
    // The id the server issued (Ardoise checks it); Hocuspocus issues none.
    ['authorId', who.authorId ?? who.id],
    ['author', who.name],
    ['createdAt', Date.now()],
    ['z', Math.floor(random() * 1000)]
  ])
}

/**
 * One participant's next edit: a new note (20 %, and always while it has none), typing at the end
 * of one of its notes (40 %) or moving one (40 %: one overwrite of `rect`, as a drop does).
 * Returns a function for BoardClient.change.
 */
export function nextEdit (participant, random) {
  const roll = random()
  if (participant.noteIds.length === 0 || roll < 0.2) {
    const id = `${participant.who.id}-${participant.noteIds.length}`
    participant.noteIds.push(id)
    const text = `${WORDS[Math.floor(random() * WORDS.length)]} ${participant.noteIds.length}`
    return (doc) => doc.getMap('notes').set(id, newNote(id, text, random, participant.who))
  }
  const id = participant.noteIds[Math.floor(random() * participant.noteIds.length)]
  if (roll < 0.6) {
    const word = ` ${WORDS[Math.floor(random() * WORDS.length)]}`
    return (doc) => {
      const text = doc.getMap('notes').get(id).get('text')
      text.insert(text.length, word)
    }
  }
  const rect = [Math.round(random() * 4000), Math.round(random() * 3000), 160, 100]
  return (doc) => doc.getMap('notes').get(id).set('rect', rect)
}

/** A growable Float64Array of fixed-width rows: recording a sample costs no allocation. */
export class Rows {
  constructor (width, capacity = 4096) {
    this.width = width
    this.data = new Float64Array(width * capacity)
    this.length = 0 // numbers, not rows
  }

  push5 (a, b, c, d, e) {
    if (this.length + 5 > this.data.length) this.grow()
    const data = this.data
    const at = this.length
    data[at] = a
    data[at + 1] = b
    data[at + 2] = c
    data[at + 3] = d
    data[at + 4] = e
    this.length = at + 5
  }

  push (values) {
    if (this.length + values.length > this.data.length) this.grow()
    this.data.set(values, this.length)
    this.length += values.length
  }

  grow () {
    const bigger = new Float64Array(this.data.length * 2)
    bigger.set(this.data)
    this.data = bigger
  }

  bytes () {
    return Buffer.from(this.data.buffer, 0, this.length * 8)
  }
}

/** Columns of the files a worker writes for the merge (see mergeRun). */
export const SEND_WIDTH = 6 // client id, first clock, t0, measured (0/1), writer index, expected
export const RECEIVE_WIDTH = 5 // receiver index, client id, clock from, clock to, arrival time

/**
 * What one load-generator worker records during a run. Writes are followed by their Yjs identity:
 * the writer's client id and the first clock of what it inserts. Each received update (possibly
 * several writes merged by the server) is recorded as the clock range it covers per client, with
 * its arrival time on the clock shared by all workers; `mergeRun` joins the two afterwards, so a
 * write sent by one worker and received by another is timed exactly like a local one, and a
 * delivery costs the receiver one parse of the update's header and five numbers.
 */
export class Recorder {
  constructor (now) {
    this.now = now
    this.sends = new Rows(SEND_WIDTH, 1024)
    this.receives = new Rows(RECEIVE_WIDTH, 65536)
    this.ack = [] // ms, one per measured write (the writer is local: no merge needed)
    this.records = [] // local writes: {t0, measured, acked, failed}
    this.active = true
  }

  /** Called right before a write leaves; `clock` is the writer's clock before the change. */
  sent (clientId, clock, writerIndex, others, measured) {
    const record = { t0: this.now(), measured, acked: false, failed: null }
    this.sends.push([clientId, clock, record.t0, measured ? 1 : 0, writerIndex, others])
    this.records.push(record)
    return record
  }

  acked (record) {
    record.acked = true
    if (record.measured) this.ack.push(this.now() - record.t0)
  }

  failed (record, error) {
    record.failed = String(error && error.message ? error.message : error)
  }

  /** Called for every update a participant receives after its handshake. */
  received (receiverIndex, update) {
    if (!this.active) return
    const t = this.now()
    const meta = Y.parseUpdateMeta(update)
    for (const [client, from] of meta.from) {
      this.receives.push5(receiverIndex, client, from, meta.to.get(client), t)
    }
  }

  /** Measured local writes neither acknowledged nor failed. */
  unacked () {
    let count = 0
    for (const record of this.records) if (record.measured && !record.acked && record.failed === null) count++
    return count
  }

  localSummary () {
    let writes = 0
    let acked = 0
    let failed = 0
    const failures = new Set()
    for (const record of this.records) {
      if (!record.measured) continue
      writes++
      if (record.acked) acked++
      if (record.failed !== null) {
        failed++
        failures.add(record.failed)
      }
    }
    return { writes, acked, failed, failures: [...failures].slice(0, 5) }
  }
}

function readRows (path) {
  const buffer = readFileSync(path)
  return new Float64Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 8)
}

/** Fan-out latency second by second of arrival: where a tail comes from (a stall or a backlog). */
function timeline (fanout, seconds) {
  const slices = new Map()
  for (let i = 0; i < fanout.length; i++) {
    let slice = slices.get(seconds[i])
    if (slice === undefined) slices.set(seconds[i], (slice = []))
    slice.push(fanout[i])
  }
  const rows = []
  for (const second of [...slices.keys()].sort((a, b) => a - b)) {
    const sorted = slices.get(second).sort((a, b) => a - b)
    // Nearest rank, as bench/stats.py computes the whole window's percentiles.
    const at = (q) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]
    rows.push({ second, deliveries: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] })
  }
  return rows
}

/**
 * Joins every worker's writes and receptions: one fan-out sample per delivery of a measured write
 * (arrival - departure, both on the shared clock), plus the delivery counts. A received clock range
 * [from, to) of a client covers each of that client's writes whose first clock lies in it.
 * `window` = [start, end] of the measured window on the shared clock.
 */
export function mergeRun (sendPaths, receivePaths, window) {
  const byClient = new Map() // client id -> {clocks: number[], records: object[]}
  let writes = 0
  let expected = 0
  for (const path of sendPaths) {
    const rows = readRows(path)
    for (let at = 0; at < rows.length; at += SEND_WIDTH) {
      const client = rows[at]
      let entry = byClient.get(client)
      if (entry === undefined) {
        entry = { clocks: [], records: [] }
        byClient.set(client, entry)
      }
      const measured = rows[at + 3] === 1
      const record = { t0: rows[at + 2], measured, writer: rows[at + 4], expected: rows[at + 5], received: 0 }
      entry.clocks.push(rows[at + 1])
      entry.records.push(record)
      if (measured) {
        writes++
        expected += record.expected
      }
    }
  }
  // One writer lives in one worker and records its writes in order: clocks are already sorted.
  const fanout = []
  const seconds = [] // per measured delivery: whole seconds from the window's start to its arrival
  let duplicates = 0
  let echoes = 0
  let deliveriesInWindow = 0
  let delivered = 0
  const [windowStart, windowEnd] = window
  for (const path of receivePaths) {
    const rows = readRows(path)
    for (let at = 0; at < rows.length; at += RECEIVE_WIDTH) {
      const entry = byClient.get(rows[at + 1])
      if (entry === undefined) continue
      const receiver = rows[at]
      const from = rows[at + 2]
      const to = rows[at + 3]
      const t = rows[at + 4]
      const { clocks, records } = entry
      // First write whose first clock is >= from (clocks only grow for one client).
      let lo = 0
      let hi = clocks.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (clocks[mid] < from) lo = mid + 1
        else hi = mid
      }
      const inWindow = t >= windowStart && t <= windowEnd
      for (let i = lo; i < clocks.length && clocks[i] < to; i++) {
        const record = records[i]
        if (record.writer === receiver) {
          echoes++
          continue
        }
        record.received++
        if (record.received > record.expected) duplicates++
        else if (record.measured) delivered++
        if (inWindow) deliveriesInWindow++
        if (record.measured) {
          fanout.push(t - record.t0)
          seconds.push(Math.floor((t - windowStart) / 1000))
        }
      }
    }
  }
  return {
    fanout,
    summary: {
      timeline: timeline(fanout, seconds),
      writes,
      deliveries: delivered,
      expectedDeliveries: expected,
      lost: expected - delivered,
      duplicates,
      echoes,
      deliveriesInWindow
    }
  }
}
