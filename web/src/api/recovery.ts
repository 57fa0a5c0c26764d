/** The HTTP calls of the trash and the history (docs/protocol.md sections 2.8 and 2.9); answers checked, errors as data. */
import { type Result, requestJson } from './request'

/** A deleted note as the trash keeps it: its plain values as they were, who deleted it and when. */
export interface DeletedNote {
  id: number
  noteId: string
  text: string
  color: string
  author: string
  deletedAt: number
  deletedBy: { name: string; role: string }
  onBoard: boolean
}

/** One earlier version of the board. */
export interface BoardVersion {
  id: number
  createdAt: number
  reason: string
  by: string
  notes: number
}

export interface VersionList {
  versions: BoardVersion[]
  intervalS: number
}

const board = (id: string): string => `/api/boards/${encodeURIComponent(id)}`

// The participant's credential proves whose deleted notes these are (section 2.1).
function credentialHeader(credential: string | null): Record<string, string> {
  return credential ? { 'X-Ardoise-Credential': credential } : {}
}

export async function listTrash(id: string, token: string, credential: string | null): Promise<Result<DeletedNote[]>> {
  const answer = await requestJson<unknown>(`${board(id)}/trash`, { token, headers: credentialHeader(credential) })
  if (!answer.ok) return answer
  const entries = (answer.value as { entries?: unknown } | null)?.entries
  return { ok: true, value: Array.isArray(entries) ? entries.flatMap(asDeletedNote) : [] }
}

export function restoreNote(id: string, token: string, credential: string | null, entryId: number): Promise<Result<{ noteId: string }>> {
  return requestJson(`${board(id)}/trash/${entryId}/restore`, { method: 'POST', token, headers: credentialHeader(credential) })
}

export async function listVersions(id: string, token: string): Promise<Result<VersionList>> {
  const answer = await requestJson<unknown>(`${board(id)}/history`, { token })
  if (!answer.ok) return answer
  const body = (answer.value ?? {}) as { versions?: unknown; intervalS?: unknown }
  return {
    ok: true,
    value: {
      versions: Array.isArray(body.versions) ? body.versions.flatMap(asVersion) : [],
      intervalS: typeof body.intervalS === 'number' ? body.intervalS : 300,
    },
  }
}

/** `name`: who restores, as the history will show it. */
export function restoreVersion(id: string, token: string, versionId: number, name: string): Promise<Result<{ kept: number | null }>> {
  return requestJson(`${board(id)}/history/${versionId}/restore`, { method: 'POST', token, json: { name } })
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function asDeletedNote(raw: unknown): DeletedNote[] {
  if (typeof raw !== 'object' || raw === null) return []
  const entry = raw as Record<string, unknown>
  const note = (typeof entry.note === 'object' && entry.note !== null ? entry.note : {}) as Record<string, unknown>
  const by = (typeof entry.deletedBy === 'object' && entry.deletedBy !== null ? entry.deletedBy : {}) as Record<string, unknown>
  if (typeof entry.id !== 'number' || typeof entry.noteId !== 'string') return []
  return [{
    id: entry.id,
    noteId: entry.noteId,
    text: text(note.text),
    color: text(note.color),
    author: text(note.author),
    deletedAt: typeof entry.deletedAt === 'number' ? entry.deletedAt : 0,
    deletedBy: { name: text(by.name), role: text(by.role) },
    onBoard: entry.onBoard === true,
  }]
}

function asVersion(raw: unknown): BoardVersion[] {
  if (typeof raw !== 'object' || raw === null) return []
  const v = raw as Record<string, unknown>
  if (typeof v.id !== 'number' || typeof v.createdAt !== 'number') return []
  return [{ id: v.id, createdAt: v.createdAt, reason: text(v.reason), by: text(v.by), notes: typeof v.notes === 'number' ? v.notes : 0 }]
}
