/** One JSON request to the server's HTTP API (docs/protocol.md section 2); errors come back as data. */
import { type WireError, asWireError } from '../sync/protocol'

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError; status: number }

export interface RequestOptions {
  method?: string
  headers?: Record<string, string>
  body?: BodyInit
  /** A board token, sent in the `Authorization` header (never in a URL). */
  token?: string
  /** A JSON body (sets the content type). */
  json?: unknown
}

export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<Result<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
  if (options.token) headers.Authorization = `Bearer ${options.token}`
  let body = options.body
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(options.json)
  }
  let response: Response
  try {
    response = await fetch(path, { method: options.method, headers, body })
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
  return { ok: false, status: response.status, error: asWireError(error ?? { code: 'internal', message: response.statusText }) }
}
