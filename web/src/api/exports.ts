/** The HTTP calls of exports, imports and publishing (docs/exports.md, docs/protocol.md section 2.6). */
// The board's token goes in the `Authorization` header, never in a URL; errors come back as data
// with a code, as in request.ts, with a code of their own for answers without a JSON body.
import { asWireError } from '../sync/protocol'
import type { CreatedBoard } from './boards'
import type { Result } from './request'

export const EXPORT_FORMATS = ['yeswiki', 'markdown', 'csv', 'json', 'pdf', 'png'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

export interface PublishStatus {
  configured: boolean
  wiki: string | null
}

export interface CsvImported {
  added: number
  inZones: number
  outsideZones: number
  noteIds: string[]
}

async function send(path: string, init: RequestInit, token?: string): Promise<Result<Response>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...((init.headers as Record<string, string>) ?? {}) }
  if (token) headers.Authorization = `Bearer ${token}`
  let response: Response
  try {
    response = await fetch(path, { ...init, headers, cache: 'no-store' })
  } catch (error) {
    return { ok: false, status: 0, error: { code: 'network', message: String(error) } }
  }
  if (response.ok) return { ok: true, value: response }
  let body: unknown = null
  try {
    body = await response.json()
  } catch {
    body = null
  }
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined
  return { ok: false, status: response.status, error: asWireError(error ?? { code: statusCode(response.status), message: response.statusText }) }
}

function statusCode(status: number): string {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  if (status === 413) return 'payload_too_large'
  if (status === 429) return 'rate_limited'
  return status >= 500 ? 'unavailable' : 'bad_request'
}

async function json<T>(answer: Promise<Result<Response>>): Promise<Result<T>> {
  const result = await answer
  if (!result.ok) return result
  try {
    return { ok: true, value: (await result.value.json()) as T }
  } catch (error) {
    return { ok: false, status: result.value.status, error: { code: 'internal', message: String(error) } }
  }
}

/**
 * The file name of a `Content-Disposition` header: the UTF-8 `filename*` when there is one, else
 * `filename`; never a path. `fallback` when the header says nothing usable.
 */
export function filenameFrom(header: string | null, fallback: string): string {
  let name = ''
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header ?? '')
  if (extended?.[1]) {
    try {
      name = decodeURIComponent(extended[1].trim())
    } catch {
      name = ''
    }
  }
  if (!name) name = /filename\s*=\s*"([^"]*)"/.exec(header ?? '')?.[1] ?? /filename\s*=\s*([^;\s]+)/.exec(header ?? '')?.[1] ?? ''
  name = name.replace(/[\u0000-\u001f\u007f/\\]+/g, ' ').replace(/^[\s.]+/, '').trim()
  return name || fallback
}

export async function downloadExport(boardId: string, token: string, format: ExportFormat): Promise<Result<{ blob: Blob; filename: string }>> {
  const answer = await send(`/api/boards/${encodeURIComponent(boardId)}/export/${format}`, { method: 'GET' }, token)
  if (!answer.ok) return answer
  const response = answer.value
  try {
    const blob = await response.blob()
    return { ok: true, value: { blob, filename: filenameFrom(response.headers.get('Content-Disposition'), `ardoise.${format}`) } }
  } catch (error) {
    return { ok: false, status: 0, error: { code: 'network', message: String(error) } }
  }
}

export async function wikiMarkup(boardId: string, token: string): Promise<Result<string>> {
  const answer = await send(`/api/boards/${encodeURIComponent(boardId)}/export/yeswiki`, { method: 'GET' }, token)
  if (!answer.ok) return answer
  try {
    return { ok: true, value: await answer.value.text() }
  } catch (error) {
    return { ok: false, status: 0, error: { code: 'network', message: String(error) } }
  }
}

export function publishStatus(boardId: string, token: string): Promise<Result<PublishStatus>> {
  return json(send(`/api/boards/${encodeURIComponent(boardId)}/publish/yeswiki`, { method: 'GET' }, token))
}

/** The board's entry; `warning`, in the board's language, when the wiki will not show it as laid out. */
export interface Published {
  url: string
  warning?: { reason: string; message: string }
}

export function publishToWiki(boardId: string, token: string): Promise<Result<Published>> {
  return json(send(`/api/boards/${encodeURIComponent(boardId)}/publish/yeswiki`, { method: 'POST' }, token))
}

/** `locale`: the language of the reason the server gives when the file is refused. */
export function importBoardFile(file: Blob, locale: string): Promise<Result<CreatedBoard>> {
  const path = `/api/boards/import?locale=${encodeURIComponent(locale)}`
  return json(send(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: file }))
}

/** `locale`: the language of the reason the server gives when the file is refused. */
export function importCsv(boardId: string, token: string, file: Blob, locale: string): Promise<Result<CsvImported>> {
  const path = `/api/boards/${encodeURIComponent(boardId)}/import/csv?locale=${encodeURIComponent(locale)}`
  return json(send(path, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: file }, token))
}

/** Saves a blob under a name, as a download (the token stayed in the request's header). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
