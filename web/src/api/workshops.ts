/** Workshops: several boards (tables and a plenary) behind one code (docs/protocol.md section 2.10). */
import { type Result, requestJson } from './request'

export interface WorkshopBoard {
  boardId: string
  title: string
  question: string
}

export interface WorkshopRound {
  label: string
  prompt: string
  durationMs: number
}

export interface Workshop {
  id: string
  title: string
  locale: string
  role: 'facilitator' | 'participant' | 'observer'
  tables: WorkshopBoard[]
  plenary: WorkshopBoard
  rounds: WorkshopRound[]
}

export function getWorkshop(id: string, token: string): Promise<Result<Workshop>> {
  return requestJson(`/api/workshops/${encodeURIComponent(id)}`, { token })
}

/** A board of the workshop: its link carries the workshop, so the board offers the way back. */
export function workshopBoardPath(workshopId: string, boardId: string, token: string): string {
  return `/b/${boardId}#token=${encodeURIComponent(token)}&workshop=${encodeURIComponent(workshopId)}`
}

export function workshopPath(workshopId: string, token: string): string {
  return `/w/${workshopId}#token=${encodeURIComponent(token)}`
}
