/** Facilitation settings as the layout document holds them: `meta.voting`, `meta.privateWriting`, `meta.follow` and `timer` (docs/board-schema.md). */
// Read defensively (a map or a plain object), written by facilitators only, with the LOCAL origin.
import * as Y from 'yjs'
import { LOCAL } from '../board/model'

export type VotingStateName = 'off' | 'open' | 'closed'

export interface Voting {
  state: VotingStateName
  secret: boolean
  revealed: boolean
  budget: number
}

export interface TimerData {
  label: string
  durationMs: number
  endsAt: number | null
  remainingMs: number | null
  lockOnEnd: boolean
}

export interface Facilitation {
  template: string
  voting: Voting
  timer: TimerData
  privateWriting: boolean
  follow: string | null
}

export const DEFAULT_BUDGET = 5
export const MAX_BUDGET = 100

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)

function plain(value: unknown): Record<string, unknown> {
  if (value instanceof Y.Map) return value.toJSON() as Record<string, unknown>
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>
  return {}
}

export function readVoting(raw: unknown): Voting {
  const v = plain(raw)
  const state = v.state === 'open' || v.state === 'closed' ? v.state : 'off'
  const budget = num(v.budget)
  return {
    state,
    secret: v.secret !== false,
    revealed: v.revealed === true,
    budget: budget === null ? DEFAULT_BUDGET : Math.min(MAX_BUDGET, Math.max(0, Math.floor(budget))),
  }
}

export function readTimer(raw: unknown): TimerData {
  const v = plain(raw)
  return {
    label: typeof v.label === 'string' ? v.label : '',
    durationMs: Math.max(0, num(v.durationMs) ?? 0),
    endsAt: num(v.endsAt),
    remainingMs: num(v.remainingMs),
    lockOnEnd: v.lockOnEnd === true,
  }
}

export function readFacilitation(layout: Y.Doc): Facilitation {
  const meta = layout.getMap('meta')
  const follow = meta.get('follow')
  return {
    template: typeof meta.get('template') === 'string' ? (meta.get('template') as string) : '',
    voting: readVoting(meta.get('voting')),
    timer: readTimer(layout.getMap('timer')),
    privateWriting: meta.get('privateWriting') === true,
    follow: typeof follow === 'string' && follow ? follow : null,
  }
}

/** Sets keys of `meta` (anonymous, privateWriting, follow…). */
export function setMeta(layout: Y.Doc, fields: Record<string, unknown>): void {
  layout.transact(() => {
    const meta = layout.getMap('meta')
    for (const [key, value] of Object.entries(fields)) if (meta.get(key) !== value) meta.set(key, value)
  }, LOCAL)
}

/** Changes `meta.voting`, keeping it a map (and keys other clients may have added). */
export function setVoting(layout: Y.Doc, fields: Partial<Voting>): void {
  layout.transact(() => {
    const meta = layout.getMap('meta')
    let voting = meta.get('voting')
    if (!(voting instanceof Y.Map)) {
      const next = new Y.Map<unknown>()
      const current = readVoting(voting)
      meta.set('voting', next)
      for (const [key, value] of Object.entries(current)) next.set(key, value)
      voting = next
    }
    const map = voting as Y.Map<unknown>
    for (const [key, value] of Object.entries(fields)) if (map.get(key) !== value) map.set(key, value)
  }, LOCAL)
}

/** Changes keys of the root `timer` map. */
export function setTimer(layout: Y.Doc, fields: Partial<TimerData>): void {
  layout.transact(() => {
    const timer = layout.getMap('timer')
    for (const [key, value] of Object.entries(fields)) if (timer.get(key) !== value) timer.set(key, value)
  }, LOCAL)
}
