/** A facilitator's share links and join-code state: from "Mes tableaux" when the board was created here, else from the server. */
import { type BoardShare, getBoard } from '../api/facilitation'
import { type ShareLinks, linksFor } from '../lib/board-links'
import * as storage from '../lib/storage'

export class ShareLinksSource {
  private share: BoardShare | null = null

  constructor(private readonly boardId: string, private readonly token: string) {}

  /** Whether the join code is open; null until the server said. */
  get joinOpen(): boolean | null {
    return this.share?.joinOpen ?? null
  }

  /** The server answered a change of the join code. */
  setJoinOpenKnown(open: boolean): void {
    if (this.share) this.share.joinOpen = open
  }

  get isLoaded(): boolean {
    return this.share !== null
  }

  /** A facilitator on another device than the board's creator: the links come from the server. */
  loadIfNotMine(): void {
    if (this.share === null && !storage.myBoard(this.boardId)) void this.load()
  }

  async load(): Promise<BoardShare | null> {
    const answer = await getBoard(this.boardId, this.token)
    if (answer.ok && answer.value.share) this.share = answer.value.share
    return this.share
  }

  async links(): Promise<ShareLinks | null> {
    const mine = storage.myBoard(this.boardId)
    if (mine) return linksFor(mine)
    const share = this.share ?? (await this.load())
    if (!share) return null
    return {
      facilitator: `${location.origin}/b/${this.boardId}#token=${encodeURIComponent(this.token)}`,
      participant: share.links.participant,
      observer: share.links.observer,
      join: share.links.join,
      joinCode: share.joinCode,
    }
  }
}
