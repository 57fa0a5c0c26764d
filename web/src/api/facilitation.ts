/** The HTTP calls of facilitation: board details, join code, duplicate, templates (docs/protocol.md section 2, docs/templates.md). */
import type { CreatedBoard, TemplateSummary } from './boards'
import { type Result, requestJson } from './request'

export interface BoardShare {
  joinCode: string
  joinOpen: boolean
  tokens: { participant: string; observer: string }
  links: { participant: string; observer: string; join: string }
}

export interface BoardInfo {
  id: string
  title: string
  template: string
  role: string
  share?: BoardShare
}

const board = (id: string): string => `/api/boards/${encodeURIComponent(id)}`

export function getBoard(id: string, token: string): Promise<Result<BoardInfo>> {
  return requestJson(board(id), { token })
}

export function setJoinOpen(id: string, token: string, open: boolean): Promise<Result<{ joinCode: string; joinOpen: boolean }>> {
  return requestJson(`${board(id)}/join-code`, { method: 'POST', token, json: { open } })
}

export function duplicateBoard(id: string, token: string, title: string, withNotes: boolean): Promise<Result<CreatedBoard>> {
  return requestJson(`${board(id)}/duplicate`, { method: 'POST', token, json: { title, withNotes } })
}

export function saveAsTemplate(id: string, token: string, name: string, description: string): Promise<Result<TemplateSummary>> {
  return requestJson(`${board(id)}/save-as-template`, { method: 'POST', token, json: { name, description } })
}

/**
 * Imports a template file, authorised by the facilitator token of one of "Mes tableaux"; `locale`
 * is the language of the reason the server gives when the file is refused.
 */
export function importTemplate(file: string, boardId: string, token: string, locale: string): Promise<Result<TemplateSummary>> {
  return requestJson(`/api/templates?locale=${encodeURIComponent(locale)}`, {
    method: 'POST',
    token,
    headers: { 'Content-Type': 'application/toml', 'X-Ardoise-Board': boardId },
    body: file,
  })
}

export function templateFileUrl(id: string): string {
  return `/api/templates/${encodeURIComponent(id)}/file`
}
