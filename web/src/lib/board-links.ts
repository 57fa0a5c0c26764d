/** The links and join code of a board, built from what "Mes tableaux" remembers of it. */
import type { MyBoard } from './storage'

export interface ShareLinks {
  facilitator: string
  participant: string
  observer: string
  join: string
  joinCode: string
}

export function linksFor(board: MyBoard, origin = location.origin): ShareLinks {
  const link = (token: string): string => `${origin}/b/${board.id}#token=${encodeURIComponent(token)}`
  return {
    facilitator: link(board.tokens.facilitator),
    participant: link(board.tokens.participant),
    observer: link(board.tokens.observer),
    join: `${origin}/j/${board.joinCode}`,
    joinCode: board.joinCode,
  }
}
