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

export function listTemplates(locale: string): Promise<Result<TemplateSummary[]>> {
  return requestJson(`/api/templates?locale=${encodeURIComponent(locale)}`)
}

export function createBoard(title: string, template: string, locale: string, parameters?: Record<string, string[]>): Promise<Result<CreatedBoard>> {
  return requestJson('/api/boards', {
    method: 'POST',
    json: parameters && Object.keys(parameters).length ? { title, template, locale, parameters } : { title, template, locale },
  })
}

export function join(code: string): Promise<Result<{ boardId: string; token: string }>> {
  return requestJson(`/api/join/${encodeURIComponent(code)}`)
}
