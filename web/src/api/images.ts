/** The pictures of image notes (docs/protocol.md section 2.11): sending one, reading one back. */
import { type WireError, asWireError } from '../sync/protocol'
import { type Result, requestJson } from './request'

/** A picture as the server kept it (re-encoded, at most 2,048 pixels a side). */
export interface SentImage {
  id: string
  width: number
  height: number
}

const images = (boardId: string): string => `/api/boards/${encodeURIComponent(boardId)}/images`

/** Sends the picture's bytes as they are; the server decides what it is. */
export async function sendImage(boardId: string, token: string, file: Blob): Promise<Result<SentImage>> {
  const answer = await requestJson<unknown>(images(boardId), {
    method: 'POST', token, body: file, headers: { 'Content-Type': file.type || 'application/octet-stream' },
  })
  if (!answer.ok) return answer
  const value = answer.value as Partial<SentImage> | null
  if (typeof value?.id !== 'string' || typeof value.width !== 'number' || typeof value.height !== 'number') {
    return { ok: false, status: 500, error: { code: 'internal', message: 'unexpected answer' } }
  }
  return { ok: true, value: { id: value.id, width: value.width, height: value.height } }
}

/** The picture itself: fetched with the token in its header (an `<img src>` could not send it), shown from a blob URL. */
export async function fetchImage(boardId: string, token: string, imageId: string): Promise<Blob | WireError> {
  try {
    const response = await fetch(`${images(boardId)}/${encodeURIComponent(imageId)}`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    if (response.ok) return await response.blob()
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null
    return asWireError(body?.error ?? { code: 'internal', message: response.statusText })
  } catch (error) {
    return { code: 'network', message: String(error) }
  }
}
