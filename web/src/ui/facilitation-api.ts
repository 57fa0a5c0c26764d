/** HTTP calls of the facilitation features (docs/protocol.md "Facilitation", docs/templates.md). */
import { type WireError, asWireError } from '../sync/protocol'
import type { CreatedBoard, Result, TemplateSummary } from './api'

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

async function call<T>(path: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<Result<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(init.headers as Record<string, string> | undefined) }
  if (init.token) headers.Authorization = `Bearer ${init.token}`
  let body = init.body
  if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(init.json)
  }
  let response: Response
  try {
    response = await fetch(path, { method: init.method, headers, body })
  } catch (error) {
    return { ok: false, status: 0, error: { code: 'network', message: String(error) } }
  }
  let parsed: unknown = null
  try {
    parsed = await response.json()
  } catch {
    parsed = null
  }
  if (response.ok) return { ok: true, value: parsed as T }
  const error = typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown }).error : undefined
  const wire: WireError = asWireError(error ?? { code: 'internal', message: response.statusText })
  return { ok: false, status: response.status, error: wire }
}

const board = (id: string): string => `/api/boards/${encodeURIComponent(id)}`

export function getBoard(id: string, token: string): Promise<Result<BoardInfo>> {
  return call(board(id), { token })
}

export function setJoinOpen(id: string, token: string, open: boolean): Promise<Result<{ joinCode: string; joinOpen: boolean }>> {
  return call(`${board(id)}/join-code`, { method: 'POST', token, json: { open } })
}

export function duplicateBoard(id: string, token: string, title: string, withNotes: boolean): Promise<Result<CreatedBoard>> {
  return call(`${board(id)}/duplicate`, { method: 'POST', token, json: { title, withNotes } })
}

export function saveAsTemplate(id: string, token: string, name: string, description: string): Promise<Result<TemplateSummary>> {
  return call(`${board(id)}/save-as-template`, { method: 'POST', token, json: { name, description } })
}

/** Imports a template file, authorised by the facilitator token of one of "Mes tableaux". */
/** `locale`: the language of the reason the server gives when the file is refused. */
export function importTemplate(file: string, boardId: string, token: string, locale: string): Promise<Result<TemplateSummary>> {
  return call(`/api/templates?locale=${encodeURIComponent(locale)}`, {
    method: 'POST',
    token,
    headers: { 'Content-Type': 'application/toml', 'X-Ardoise-Board': boardId },
    body: file,
  })
}

export function templateFileUrl(id: string): string {
  return `/api/templates/${encodeURIComponent(id)}/file`
}
