/** Dot voting as one person sees it (docs/protocol.md section 5): the `votes` event and the acknowledgements of `vote`. */
// A `votes` event carries this person's own votes, what they have left, and the tallies when they
// may see them.
import type { Voting } from './state'

export interface VotesPayload {
  mine: Record<string, number>
  remaining: number
  tallies: Record<string, number> | null
  /** How many people voted; sent with the tallies (to facilitators always). */
  voters?: number
}

function counts(value: unknown): Record<string, number> {
  const result: Record<string, number> = {}
  if (typeof value !== 'object' || value === null) return result
  for (const [id, n] of Object.entries(value)) {
    if (typeof n === 'number' && Number.isFinite(n) && n > 0) result[id] = Math.floor(n)
  }
  return result
}

/** Reads a `votes` payload defensively; null when it is not one. */
export function asVotesPayload(value: unknown): VotesPayload | null {
  if (typeof value !== 'object' || value === null) return null
  const v = value as { mine?: unknown; remaining?: unknown; tallies?: unknown; voters?: unknown }
  if (typeof v.remaining !== 'number' || !Number.isFinite(v.remaining)) return null
  return {
    mine: counts(v.mine),
    remaining: Math.max(0, Math.floor(v.remaining)),
    tallies: v.tallies === null || v.tallies === undefined ? null : counts(v.tallies),
    ...(typeof v.voters === 'number' && Number.isFinite(v.voters) && v.voters >= 0 ? { voters: Math.floor(v.voters) } : {}),
  }
}

export type VoteAck = { ok: true; remaining: number } | { ok: false; code: string }

export function asVoteAck(value: unknown): VoteAck {
  if (typeof value === 'object' && value !== null) {
    const v = value as { ok?: unknown; remaining?: unknown; error?: unknown }
    if (v.ok === true) return { ok: true, remaining: typeof v.remaining === 'number' ? v.remaining : 0 }
    const error = v.error as { code?: unknown } | undefined
    if (error && typeof error.code === 'string') return { ok: false, code: error.code }
  }
  return { ok: false, code: 'internal' }
}

/** Error codes of `vote` that have their own words; others fall back to the generic ones. */
export function voteErrorKey(code: string): 'vote.error.vote_closed' | 'vote.error.budget_exhausted' | 'vote.error.not_found' | 'vote.error.other' {
  switch (code) {
    case 'vote_closed':
    case 'budget_exhausted':
    case 'not_found':
      return `vote.error.${code}`
    default:
      return 'vote.error.other'
  }
}

export class VoteState {
  mine: Record<string, number> = {}
  remaining = 0
  tallies: Record<string, number> | null = null
  voters: number | null = null
  voting: Voting = { state: 'off', secret: true, revealed: false, budget: 5 }
  /**
   * A facilitator receives the tallies of a secret vote, but their screen is often the projected
   * one: the counts stay hidden on it until they choose to see them (remembered per board).
   */
  showSecretTallies = false

  /** A `votes` event: returns the ids of notes whose display changed. */
  apply(payload: VotesPayload): Set<string> {
    const changed = new Set<string>()
    const diff = (a: Record<string, number> | null, b: Record<string, number> | null): void => {
      for (const id of new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])) {
        if ((a?.[id] ?? 0) !== (b?.[id] ?? 0)) changed.add(id)
      }
      if ((a === null) !== (b === null)) for (const id of Object.keys(a ?? b ?? {})) changed.add(id)
    }
    diff(this.mine, payload.mine)
    diff(this.tallies, payload.tallies)
    this.mine = payload.mine
    this.remaining = payload.remaining
    this.tallies = payload.tallies
    this.voters = payload.voters ?? null
    return changed
  }

  /** `meta.voting` changed. Turning voting off forgets what the last `votes` said. */
  setVoting(voting: Voting): void {
    this.voting = voting
    if (voting.state === 'off') {
      this.mine = {}
      this.tallies = null
      this.remaining = voting.budget
    }
  }

  get isOpen(): boolean {
    return this.voting.state === 'open'
  }

  /** Votes may be cast or removed by this person (participants and facilitators, while open). */
  canVote(role: string | null): boolean {
    return this.isOpen && (role === 'participant' || role === 'facilitator')
  }

  myVotes(id: string): number {
    return this.mine[id] ?? 0
  }

  /** A secret vote not revealed yet, whose tallies this person receives (a facilitator). */
  get receivesSecretTallies(): boolean {
    return this.voting.state !== 'off' && this.voting.secret && !this.voting.revealed && this.tallies !== null
  }

  /** The tallies this screen shows: none while secret to this person, or hidden by the facilitator's choice. */
  private get shownTallies(): Record<string, number> | null {
    if (this.voting.state === 'off' || this.tallies === null) return null
    if (this.receivesSecretTallies && !this.showSecretTallies) return null
    return this.tallies
  }

  /** Whether this screen shows counts at all (see `count`). */
  get showsCounts(): boolean {
    return this.shownTallies !== null
  }

  /** The count to show on a note, or null: secret to this person, hidden on this screen, or no vote (a "0" on every note says nothing). */
  count(id: string): number | null {
    const count = this.shownTallies?.[id] ?? 0
    return count > 0 ? count : null
  }

  /** Tallies are public to everyone (an open vote, or a revealed secret one). */
  get isPublic(): boolean {
    return this.voting.state !== 'off' && (!this.voting.secret || this.voting.revealed)
  }

  /** Notes with the most votes, best first (ties by id, for a stable order). */
  ranking(existing: (id: string) => boolean, limit = Infinity): Array<{ id: string; count: number }> {
    const tallies = this.shownTallies
    if (tallies === null) return []
    return Object.entries(tallies)
      .filter(([id, count]) => count > 0 && existing(id))
      .map(([id, count]) => ({ id, count }))
      .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))
      .slice(0, limit)
  }

  /** The ids of the top `n` notes (every note tied with the n-th included). */
  top(existing: (id: string) => boolean, n = 3): Set<string> {
    const ranked = this.ranking(existing)
    if (ranked.length === 0) return new Set()
    const threshold = ranked[Math.min(n, ranked.length) - 1]?.count ?? 0
    return new Set(ranked.filter((r) => r.count >= threshold).map((r) => r.id))
  }
}
