/** Tests of reading `votes` payloads and acknowledgements, and of one person's vote state. */
import { describe, expect, it } from 'vitest'
import { t } from '../i18n'
import { VoteState, asVoteAck, asVotesPayload, voteErrorKey } from './votes'

const all = (): boolean => true

describe('votes payloads', () => {
  it('reads the votes event defensively', () => {
    expect(asVotesPayload({ mine: { a: 2, b: 'x' }, remaining: 3, tallies: null })).toEqual({ mine: { a: 2 }, remaining: 3, tallies: null })
    expect(asVotesPayload({ mine: {}, remaining: 1, tallies: { a: 4, b: 0 } })?.tallies).toEqual({ a: 4 })
    expect(asVotesPayload({ mine: {} })).toBeNull()
    expect(asVotesPayload('nope')).toBeNull()
  })

  it('reads how many people voted, sent with the tallies', () => {
    expect(asVotesPayload({ mine: {}, remaining: 1, tallies: { a: 4 }, voters: 3 })?.voters).toBe(3)
    expect(asVotesPayload({ mine: {}, remaining: 1, tallies: null })?.voters).toBeUndefined()
    expect(asVotesPayload({ mine: {}, remaining: 1, tallies: null, voters: -2 })?.voters).toBeUndefined()
    const state = new VoteState()
    state.apply({ mine: {}, remaining: 1, tallies: { a: 4 }, voters: 2 })
    expect(state.voters).toBe(2)
    state.apply({ mine: {}, remaining: 1, tallies: null })
    expect(state.voters).toBeNull()
  })

  it('reads acknowledgements and names the refusals', () => {
    expect(asVoteAck({ ok: true, remaining: 2 })).toEqual({ ok: true, remaining: 2 })
    expect(asVoteAck({ ok: false, error: { code: 'budget_exhausted', message: '' } })).toEqual({ ok: false, code: 'budget_exhausted' })
    expect(asVoteAck(undefined)).toEqual({ ok: false, code: 'internal' })
    expect(voteErrorKey('vote_closed')).toBe('vote.error.vote_closed')
    expect(voteErrorKey('not_found')).toBe('vote.error.not_found')
    expect(voteErrorKey('rate_limited')).toBe('vote.error.other')
  })
})

describe('vote state', () => {
  it('keeps counts secret until tallies come, and reports which notes changed', () => {
    const state = new VoteState()
    state.setVoting({ state: 'open', secret: true, revealed: false, budget: 5 })
    expect(state.apply({ mine: { a: 2 }, remaining: 3, tallies: null })).toEqual(new Set(['a']))
    expect(state.count('a')).toBeNull()
    expect(state.myVotes('a')).toBe(2)
    expect(state.isPublic).toBe(false)
    state.setVoting({ state: 'closed', secret: true, revealed: true, budget: 5 })
    expect(state.isPublic).toBe(true)
    const changed = state.apply({ mine: { a: 2 }, remaining: 3, tallies: { a: 4, b: 1 } })
    expect(changed).toEqual(new Set(['a', 'b']))
    expect(state.count('a')).toBe(4)
    // No vote is no count: a "0" on every note said nothing (issue 22).
    expect(state.count('c')).toBeNull()
  })

  it('hides a secret vote’s counts from the facilitator’s screen until they choose to see them', () => {
    // Issue 22: during a secret vote the facilitator's screen, often projected, showed live counts.
    const state = new VoteState()
    state.setVoting({ state: 'open', secret: true, revealed: false, budget: 5 })
    state.apply({ mine: {}, remaining: 5, tallies: { a: 3, b: 1 }, voters: 2 })
    expect(state.receivesSecretTallies).toBe(true)
    expect(state.count('a')).toBeNull()
    expect(state.showsCounts).toBe(false)
    expect(state.ranking(all)).toEqual([])
    expect(state.top(all)).toEqual(new Set())
    expect(state.voters).toBe(2)
    state.showSecretTallies = true
    expect(state.count('a')).toBe(3)
    expect(state.ranking(all).map((r) => r.id)).toEqual(['a', 'b'])
    state.showSecretTallies = false
    // Revealed, the counts are everyone's: shown whatever the choice.
    state.setVoting({ state: 'closed', secret: true, revealed: true, budget: 5 })
    expect(state.receivesSecretTallies).toBe(false)
    expect(state.count('a')).toBe(3)
    // An open (not secret) vote is shown too.
    state.setVoting({ state: 'open', secret: false, revealed: false, budget: 5 })
    expect(state.count('b')).toBe(1)
  })

  it('says "no vote left" in words, not "0 votes"', () => {
    expect(t('vote.remaining', { count: 0 })).toBe('Vote ouvert : vous n’avez plus de vote')
    expect(t('vote.remainingSecret', { count: 0 })).toBe('Vote secret : vous n’avez plus de vote')
    expect(t('vote.remaining', { count: 1 })).toBe('Vote ouvert : il vous reste 1 vote')
    expect(t('vote.remaining', { count: 3 })).toBe('Vote ouvert : il vous reste 3 votes')
  })

  it('may vote only while open, and not as an observer', () => {
    const state = new VoteState()
    expect(state.canVote('participant')).toBe(false)
    state.setVoting({ state: 'open', secret: false, revealed: false, budget: 5 })
    expect(state.canVote('participant')).toBe(true)
    expect(state.canVote('facilitator')).toBe(true)
    expect(state.canVote('observer')).toBe(false)
  })

  it('ranks notes and keeps ties in the top three', () => {
    const state = new VoteState()
    state.setVoting({ state: 'open', secret: false, revealed: false, budget: 5 })
    state.apply({ mine: {}, remaining: 5, tallies: { a: 5, b: 3, c: 2, d: 2, e: 1, gone: 9 } })
    const exists = (id: string): boolean => id !== 'gone'
    expect(state.ranking(exists).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(state.top(exists, 3)).toEqual(new Set(['a', 'b', 'c', 'd']))
    expect(state.top(all, 1)).toEqual(new Set(['gone']))
  })

  it('forgets everything when voting is turned off', () => {
    const state = new VoteState()
    state.setVoting({ state: 'open', secret: false, revealed: false, budget: 4 })
    state.apply({ mine: { a: 1 }, remaining: 3, tallies: { a: 1 } })
    state.setVoting({ state: 'off', secret: false, revealed: false, budget: 4 })
    expect(state.count('a')).toBeNull()
    expect(state.myVotes('a')).toBe(0)
    expect(state.remaining).toBe(4)
  })
})
