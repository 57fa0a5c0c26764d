/** The pictures of image notes as this person sees them: each fetched once with the board token and shown from a blob URL (docs/protocol.md section 2.11). */
import { fetchImage } from '../api/images'
import { Emitter } from '../lib/emitter'

// A picture that could not be fetched (the network, the server) is asked for again after this.
const RETRY_MS = 5000

export interface PictureEvents {
  /** A picture arrived, or is known to be missing: the notes showing it are painted again. */
  changed: string
}

export class Pictures extends Emitter<PictureEvents> {
  /** Blob URLs by image id; null while being fetched. */
  private readonly urls = new Map<string, string | null>()
  private readonly missing = new Set<string>()

  constructor(private readonly boardId: string, private readonly token: string) {
    super()
  }

  /** The picture's URL once fetched, else null (the fetch starts at the first ask). */
  url(imageId: string): string | null {
    if (!this.urls.has(imageId) && !this.missing.has(imageId)) void this.load(imageId)
    return this.urls.get(imageId) ?? null
  }

  /** The board has no picture of this id (a stock client's id of nothing). */
  isMissing(imageId: string): boolean {
    return this.missing.has(imageId)
  }

  private async load(imageId: string): Promise<void> {
    this.urls.set(imageId, null)
    const found = await fetchImage(this.boardId, this.token, imageId)
    if (found instanceof Blob) {
      this.urls.set(imageId, URL.createObjectURL(found))
    } else if (found.code === 'not_found') {
      this.urls.delete(imageId)
      this.missing.add(imageId)
    } else {
      window.setTimeout(() => {
        this.urls.delete(imageId)
        this.emit('changed', imageId)
      }, RETRY_MS)
      return
    }
    this.emit('changed', imageId)
  }
}
