/** The HTTP API (PROTOCOL.md section 2) as typed calls; errors come back as data with a code. */
import { type WireError, asWireError } from '../sync/protocol'

export interface TemplateZone {
  id: string
  title: string
  rect: [number, number, number, number]
  color: string
}

export interface TemplateParameter {
  name: string
  type: string
  label: { fr?: string; en?: string }
  help?: { fr?: string; en?: string }
  default?: { fr?: string[]; en?: string[] }
  minItems?: number
  maxItems?: number
  maxLength?: number
}

export interface TemplateSummary {
  id: string
  name: string
  description: string
  parameters?: TemplateParameter[]
  zones?: TemplateZone[]
  board?: { width: number; height: number }
}

export interface CreatedBoard {
  id: string
  title: string
  joinCode: string
  tokens: { facilitator: string; participant: string; observer: string }
  links: { facilitator: string; participant: string; observer: string; join?: string }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError; status: number }

async function call<T>(path: string, init?: RequestInit): Promise<Result<T>> {
  let response: Response
  try {
    response = await fetch(path, { ...init, headers: { Accept: 'application/json', ...(init?.headers ?? {}) } })
  } catch (error) {
    return { ok: false, status: 0, error: { code: 'network', message: String(error) } }
  }
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    body = null
  }
  if (response.ok) return { ok: true, value: body as T }
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined
  return { ok: false, status: response.status, error: asWireError(error ?? { code: 'internal', message: response.statusText }) }
}

export function listTemplates(locale: string): Promise<Result<TemplateSummary[]>> {
  return call(`/api/templates?locale=${encodeURIComponent(locale)}`)
}

export function createBoard(title: string, template: string, locale: string, parameters?: Record<string, string[]>): Promise<Result<CreatedBoard>> {
  return call('/api/boards', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(parameters && Object.keys(parameters).length ? { title, template, locale, parameters } : { title, template, locale }),
  })
}

export function join(code: string): Promise<Result<{ boardId: string; token: string }>> {
  return call(`/api/join/${encodeURIComponent(code)}`)
}
