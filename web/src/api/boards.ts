/** The HTTP calls of the home and join pages: templates, board creation, join codes (docs/protocol.md section 2). */
import { type Result, requestJson } from './request'

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
  /** Saved or imported on this server (not shipped). */
  custom?: boolean
  /** The caller may rename and delete it (its key was sent). */
  mine?: boolean
  /** Handed out once, when the template is saved or imported: the proof that it is this person's. */
  key?: string
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

/** The gallery: shipped templates and those whose keys are given (this browser's own). */
export function listTemplates(locale: string, keys: string[] = []): Promise<Result<TemplateSummary[]>> {
  const headers: Record<string, string> = keys.length ? { 'X-Ardoise-Template-Keys': keys.join(', ') } : {}
  return requestJson(`/api/templates?locale=${encodeURIComponent(locale)}`, { headers })
}

export function renameTemplate(id: string, key: string, name: string): Promise<Result<TemplateSummary>> {
  return requestJson(`/api/templates/${encodeURIComponent(id)}`, { method: 'PATCH', token: key, json: { name } })
}

export function deleteTemplate(id: string, key: string): Promise<Result<{ deleted: string }>> {
  return requestJson(`/api/templates/${encodeURIComponent(id)}`, { method: 'DELETE', token: key })
}

export function createBoard(title: string, template: string, locale: string, parameters?: Record<string, string[]>): Promise<Result<CreatedBoard>> {
  return requestJson('/api/boards', {
    method: 'POST',
    json: parameters && Object.keys(parameters).length ? { title, template, locale, parameters } : { title, template, locale },
  })
}

/** What a join code opens: a board, or a workshop whose tables the person picks from. */
export type JoinTarget = { kind: 'board'; boardId: string; token: string } | { kind: 'workshop'; workshopId: string; token: string }

export function join(code: string): Promise<Result<JoinTarget>> {
  return requestJson(`/api/join/${encodeURIComponent(code)}`)
}
