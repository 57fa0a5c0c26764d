/** Tests of the identities this browser keeps per board (docs/protocol.md section 3). */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { boardIdentity, rememberBoardIdentity } from './storage'

function memoryStorage(): Storage {
  const items = new Map<string, string>()
  return {
    get length() { return items.size },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (key) => { items.delete(key) },
    setItem: (key, value) => { items.set(key, String(value)) },
  }
}

describe('board identities', () => {
  beforeEach(() => {
    vi.stubGlobal('localStorage', memoryStorage())
  })

  it('keeps the credential the server issued, per board', () => {
    expect(boardIdentity('b1')).toBeNull()
    rememberBoardIdentity('b1', { participantId: 'p1', credential: 'p1.sig' })
    rememberBoardIdentity('b2', { participantId: 'p2', credential: 'p2.sig' })
    expect(boardIdentity('b1')).toEqual({ participantId: 'p1', credential: 'p1.sig' })
    expect(boardIdentity('b2')?.credential).toBe('p2.sig')
    rememberBoardIdentity('b1', { participantId: 'p3', credential: 'p3.sig' })
    expect(boardIdentity('b1')?.participantId).toBe('p3')
  })

  it('ignores what it cannot read', () => {
    localStorage.setItem('ardoise.identities', '{"b1": {"participantId": 3}, "b2": "x"}')
    expect(boardIdentity('b1')).toBeNull()
    localStorage.setItem('ardoise.identities', 'not json')
    expect(boardIdentity('b1')).toBeNull()
  })
})
