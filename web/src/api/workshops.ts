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

export interface StartedRound {
  round: WorkshopRound & { index: number }
  endsAt: number
  lockOnEnd: boolean
  tables: number
}

/** The facilitator starts a planned round on every table at once. */
export function startRound(id: string, index: number, token: string, lockOnEnd: boolean): Promise<Result<StartedRound>> {
  return requestJson(`/api/workshops/${encodeURIComponent(id)}/rounds/${index}/start`, { method: 'POST', token, json: { lockOnEnd } })
}

export interface WorkshopPlan {
  title: string
  locale: string
  template: string
  tables: Array<{ title: string; question: string }>
  rounds: WorkshopRound[]
}

export interface CreatedWorkshop {
  id: string
  title: string
  joinCode: string
  tokens: { facilitator: string; participant: string; observer: string }
  links: Record<string, string>
  tables: WorkshopBoard[]
}

export function createWorkshop(plan: WorkshopPlan): Promise<Result<CreatedWorkshop>> {
  return requestJson('/api/workshops', { method: 'POST', json: plan })
}

/** "Titre : question" lines (the question is optional); blank lines are skipped. */
export function readTables(text: string): Array<{ title: string; question: string }> {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const cut = line.search(/\s*:\s/)
    return cut < 0 ? { title: line, question: '' } : { title: line.slice(0, cut).trim(), question: line.slice(cut).replace(/^\s*:\s*/, '').trim() }
  })
}

export interface TableOverview extends WorkshopBoard {
  people: string[]
  notes: number
  locked: boolean
  round: { index: number; label: string; prompt: string } | null
  timer: { label: string; durationMs: number; endsAt: number | null; remainingMs: number | null }
}

export function getOverview(id: string, token: string): Promise<Result<{ serverTime: number; tables: TableOverview[] }>> {
  return requestJson(`/api/workshops/${encodeURIComponent(id)}/overview`, { token })
}

export function broadcast(id: string, token: string, text: string): Promise<Result<{ text: string; at: number; boards: number }>> {
  return requestJson(`/api/workshops/${encodeURIComponent(id)}/broadcast`, { method: 'POST', token, json: { text } })
}
