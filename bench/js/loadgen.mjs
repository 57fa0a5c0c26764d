// The load generator: simulated participants in one or more Node processes ("workers"), driven by
// `python -m bench`.
//
// The machine has 2 cores, shared by the server under test and the participants; one Node process
// saturates (event loop 1.00) near 20,000 deliveries/s, so the driver can start K of these
// processes, each holding every K-th participant of every group (`--workers`). Latencies are taken
// on a clock common to all processes: CLOCK_MONOTONIC in ms (performance.now() plus a constant
// offset to process.hrtime, which is CLOCK_MONOTONIC on Linux, as is Python's time.monotonic()).
// A write is timed when it leaves its worker; every worker records what its participants receive
// (client id, clock range, arrival time) and `merge` joins the records of all workers afterwards
// (workload.mjs). Each worker reports its own event-loop utilisation so a reader can tell when a
// worker, rather than the server, was the bottleneck.
//
// Protocol with the driver: one JSON command per line on stdin, `{id, op, ...}`; one JSON reply per
// line on stdout, `{id, ok: true, ...}` or `{id, ok: false, error}`; progress events
// `{event: "measure-start" | "measure-end"}` let the driver read the server's CPU time exactly
// around the measured window. Operations (`base` = global index of the group's first new
// participant, `worker`/`workers` = this worker's rank and their number):
//
//   connect {group, target | targets, count, base, worker, workers}
//            connect this worker's share of `count` participants (global index g, g % workers ==
//            worker) at once, target g % targets.length; wait until all synced
//   run     {group, total, rate, start, warmup, seconds}
//            open loop: global write k leaves at start + k / rate (shared clock, ms) from participant
//            k % total, if it is ours; writes due in [start + warmup, + seconds) are measured.
//            Replies when writing ends, with each writer's last clock
//   drain   {clocks, drain, samples}
//            wait until every participant has every write up to `clocks` (or `drain` s passed) and
//            our measured writes are acknowledged; write `samples`.{sends,receives,ack}
//   merge   {sends, receives, window, samples}  join every worker's files: `samples`.fanout
//   build   {target, notes, batch}  a facilitator writes `notes` notes in batches, then leaves
//   join    {group, target, count, stay, base}  new participants join one after another
//   probe   {group}                 participant 0 (if ours) writes once: its client id and clock
//   probe-wait {group, client, clock, wait}  who of ours got it, by server
//   clock   {resolution}            the shared clock and the wall clock now, or the clock's step
//   close   {group}                 disconnect a group
//   exit

import { createInterface } from 'node:readline'
import { writeFileSync } from 'node:fs'
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { clientClass } from './clients.mjs'
import { Recorder, makeRandom, mergeRun, newNote, nextEdit } from './workload.mjs'

/** performance.now() - CLOCK_MONOTONIC: constant (both read uv_hrtime); the closest of 200 reads. */
const OFFSET = (() => {
  let best = Infinity
  let offset = 0
  for (let i = 0; i < 200; i++) {
    const a = performance.now()
    const mono = Number(process.hrtime.bigint()) / 1e6
    const b = performance.now()
    if (b - a < best) {
      best = b - a
      offset = mono - (a + b) / 2
    }
  }
  return offset
})()
/** The clock shared by every worker and by the driver: CLOCK_MONOTONIC, in ms. */
const now = () => performance.now() + OFFSET
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** group name -> {participants: [{client, who, noteIds, index, server}], random} */
const groups = new Map()
let recorder = new Recorder(now)
recorder.active = false
let participantSeq = 0
let worker = 0

function emit (message) {
  process.stdout.write(JSON.stringify(message) + '\n')
}

function hooks () {
  return {
    onRemoteUpdate: (client, name, update) => {
      if (name === 'notes') recorder.received(client.index, update)
    }
  }
}

async function connectOne (target, who, index) {
  const Client = clientClass(target)
  const client = new Client(target, who, hooks())
  client.index = index
  const t0 = now()
  await client.connect()
  return { client, ms: now() - t0 }
}

function newWho (prefix) {
  participantSeq++
  return { id: `${prefix}${worker}-${participantSeq}`, name: `Participant ${worker}-${participantSeq}` }
}

function groupEntry (group, seed) {
  let entry = groups.get(group)
  if (entry === undefined) {
    entry = { participants: [], byIndex: new Map(), random: makeRandom(seed) }
    groups.set(group, entry)
  }
  return entry
}

function addParticipant (entry, participant) {
  entry.participants.push(participant)
  entry.byIndex.set(participant.index, participant)
}

async function connect ({ group, target, targets, count, base = 0, workers = 1 }) {
  const list = targets || [target]
  const entry = groupEntry(group, 0xa4d0 + 7919 * worker + groups.size)
  const indexes = []
  for (let g = base; g < base + count; g++) if (g % workers === worker) indexes.push(g)
  const t0 = now()
  const joined = await Promise.all(indexes.map(async (g) => {
    const who = newWho('p')
    const { client, ms } = await connectOne(list[g % list.length], who, g)
    return { client, who, noteIds: [], ms, index: g, server: g % list.length }
  }))
  for (const participant of joined) addParticipant(entry, participant)
  return { participants: entry.participants.length, allSyncedMs: now() - t0, joinMs: joined.map((p) => p.ms) }
}

/** Sends one write of a participant, followed by the recorder. */
function writeOne (entry, participant, others, measured) {
  const doc = participant.client.docs.notes
  const clock = Y.getState(doc.store, doc.clientID)
  const update = participant.client.change('notes', nextEdit(participant, entry.random))
  const record = recorder.sent(doc.clientID, clock, participant.index, others, measured)
  participant.client.write('notes', update).then(
    () => recorder.acked(record),
    (error) => recorder.failed(record, error)
  )
  participant.wrote = true
}

/**
 * Open loop: global write k is due at start + k * 1000 / rate, from participant k % total; this
 * worker sends those of its own participants, whatever the acks do. Returns [next k, writes sent].
 */
async function writeAt (entry, schedule, k, untilMs, measured) {
  const { start, rate, total } = schedule
  let sent = 0
  while (true) {
    const due = start + (k * 1000) / rate
    if (due >= untilMs) break
    const participant = entry.byIndex.get(k % total)
    k++
    if (participant === undefined) continue
    const wait = due - now()
    if (wait > 1) await sleep(wait)
    writeOne(entry, participant, total - 1, measured)
    sent++
  }
  return [k, sent]
}

async function run ({ group, total, rate, start, warmup, seconds }) {
  const entry = groupEntry(group, 0)
  recorder = new Recorder(now)
  for (const participant of entry.participants) participant.wrote = false
  const schedule = { start, rate, total }
  const m0 = start + warmup * 1000
  const m1 = m0 + seconds * 1000
  const [k] = await writeAt(entry, schedule, 0, m0, false)
  const wait = m0 - now()
  if (wait > 0) await sleep(wait)
  // Measured window.
  const elu0 = performance.eventLoopUtilization()
  const cpu0 = process.cpuUsage()
  const loopDelay = new LoopDelay()
  emit({ event: 'measure-start' })
  const [, written] = await writeAt(entry, schedule, k, m1, true)
  const wait2 = m1 - now()
  if (wait2 > 0) await sleep(wait2)
  const measuredMs = now() - m0
  emit({ event: 'measure-end' })
  const { loopDelayMaxMs, gcPauseMaxMs } = loopDelay.stop()
  const elu = performance.eventLoopUtilization(elu0).utilization
  const cpu = process.cpuUsage(cpu0)
  const clocks = []
  for (const participant of entry.participants) {
    if (!participant.wrote) continue
    const doc = participant.client.docs.notes
    clocks.push([doc.clientID, Y.getState(doc.store, doc.clientID)])
  }
  return {
    written,
    measuredMs,
    participants: entry.participants.length,
    clocks,
    loadgen: { eventLoopUtilization: elu, cpuSeconds: (cpu.user + cpu.system) / 1e6, loopDelayMaxMs, gcPauseMaxMs }
  }
}

/**
 * The longest event-loop delay of each second of the measured window: a second in which this
 * worker stalled shows here, so a latency tail can be told apart from the server's own.
 */
class LoopDelay {
  constructor () {
    this.histogram = monitorEventLoopDelay({ resolution: 5 })
    this.histogram.enable()
    this.perSecond = []
    this.gcPerSecond = []
    this.gcMax = 0
    // Garbage-collection pauses, to tell a stall of the collector from a worker short of CPU.
    this.gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.gcMax = Math.max(this.gcMax, entry.duration)
    })
    this.gc.observe({ entryTypes: ['gc'] })
    this.timer = setInterval(() => this.take(), 1000)
  }

  take () {
    this.perSecond.push(Math.round(this.histogram.max / 1e5) / 10)
    this.gcPerSecond.push(Math.round(this.gcMax * 10) / 10)
    this.histogram.reset()
    this.gcMax = 0
  }

  stop () {
    clearInterval(this.timer)
    this.take()
    this.histogram.disable()
    this.gc.disconnect()
    return { loopDelayMaxMs: this.perSecond, gcPauseMaxMs: this.gcPerSecond }
  }
}

/** How many (participant, writer) pairs still miss something of `clocks`. */
function missing (clocks) {
  let count = 0
  for (const entry of groups.values()) {
    for (const participant of entry.participants) {
      const doc = participant.client.docs.notes
      for (const [client, clock] of clocks) {
        if (client !== doc.clientID && Y.getState(doc.store, client) < clock) count++
      }
    }
  }
  return count
}

async function drain ({ clocks, drain, samples }) {
  // Let every write reach everyone (or time out: what is missing then is lost).
  const t0 = now()
  while ((recorder.unacked() > 0 || missing(clocks) > 0) && now() - t0 < drain * 1000) await sleep(20)
  const drainMs = now() - t0
  recorder.active = false
  writeFileSync(`${samples}.sends`, recorder.sends.bytes())
  writeFileSync(`${samples}.receives`, recorder.receives.bytes())
  writeFileSync(`${samples}.ack`, Buffer.from(new Float64Array(recorder.ack).buffer))
  return { ...recorder.localSummary(), drainMs }
}

function merge ({ sends, receives, window, samples }) {
  const { fanout, summary } = mergeRun(sends, receives, window)
  writeFileSync(`${samples}.fanout`, Buffer.from(new Float64Array(fanout).buffer))
  return summary
}

async function build ({ target, notes, batch }) {
  const who = newWho('f')
  const { client } = await connectOne(target, who, -1)
  const random = makeRandom(0x5eed)
  const t0 = now()
  const pending = []
  let bytes = 0
  for (let done = 0; done < notes; done += batch) {
    const update = client.change('notes', (doc) => {
      const map = doc.getMap('notes')
      for (let i = done; i < Math.min(notes, done + batch); i++) {
        map.set(`big-${i}`, newNote(`big-${i}`, `Note ${i}: ${'texte '.repeat(4)}`, random, who))
      }
    })
    bytes += update.length
    pending.push(client.write('notes', update))
    // A few writes in flight at most: a bulk import, not a flood.
    if (pending.length >= 4) await pending.shift()
  }
  await Promise.all(pending)
  const ms = now() - t0
  client.close()
  return { ms, updateBytes: bytes }
}

async function join ({ group, target, count, stay, base = 0 }) {
  const entry = groupEntry(group, 0x101)
  const joinMs = []
  let notes = 0
  for (let i = 0; i < count; i++) {
    const who = newWho('j')
    const { client, ms } = await connectOne(target, who, base + i)
    notes = client.docs.notes.getMap('notes').size
    joinMs.push(ms)
    if (stay) addParticipant(entry, { client, who, noteIds: [], ms, index: base + i, server: 0 })
    else client.close()
    await sleep(20)
  }
  return { joinMs, notes }
}

function probe ({ group, total }) {
  const entry = groupEntry(group, 0)
  recorder = new Recorder(now)
  const participant = entry.byIndex.get(0)
  if (participant === undefined) return { client: null }
  const doc = participant.client.docs.notes
  writeOne(entry, participant, total - 1, true)
  return { client: doc.clientID, clock: Y.getState(doc.store, doc.clientID), server: participant.server }
}

async function probeWait ({ group, client, clock, wait }) {
  const entry = groupEntry(group, 0)
  const others = entry.participants.filter((p) => p.client.docs.notes.clientID !== client)
  const got = (p) => Y.getState(p.client.docs.notes.store, client) >= clock
  const t0 = now()
  while ((others.some((p) => !got(p)) || recorder.unacked() > 0) && now() - t0 < wait * 1000) await sleep(10)
  const byServer = {}
  for (const p of others) byServer[p.server] = (byServer[p.server] || 0) + 1
  return {
    expected: others.length,
    received: others.filter(got).length,
    byServer,
    acked: recorder.records.every((r) => r.acked)
  }
}

/** The shared clock now, the wall clock (timeOrigin + now) and the smallest step of the clock. */
function clock ({ resolution }) {
  if (!resolution) return { mono: now(), wall: performance.timeOrigin + performance.now() }
  let step = Infinity
  let previous = now()
  for (let i = 0; i < 100000; i++) {
    const t = now()
    if (t > previous && t - previous < step) step = t - previous
    previous = t
  }
  return { resolutionMs: step }
}

function close ({ group }) {
  const entry = groups.get(group)
  if (entry) for (const p of entry.participants) p.client.close()
  groups.delete(group)
  return {}
}

const operations = {
  connect,
  run,
  drain,
  merge,
  build,
  join,
  probe,
  'probe-wait': probeWait,
  clock,
  close
}

worker = Number(process.env.LOADGEN_WORKER || 0)
const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  if (!line.trim()) continue
  const command = JSON.parse(line)
  if (command.op === 'exit') break
  try {
    const handler = operations[command.op]
    if (!handler) throw new Error(`unknown op ${command.op}`)
    emit({ id: command.id, ok: true, ...(await handler(command)) })
  } catch (error) {
    emit({ id: command.id, ok: false, error: String(error && error.stack ? error.stack : error) })
  }
}
for (const name of [...groups.keys()]) close({ group: name })
process.exit(0)
