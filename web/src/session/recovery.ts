/** What this person may bring back on the board: their deleted notes (all of them for a facilitator) and, for a facilitator, earlier versions. */
import { type BoardVersion, type DeletedNote, type VersionList, listTrash, listVersions, restoreNote, restoreVersion } from '../api/recovery'
import type { Result } from '../api/request'
import { boardIdentity } from '../lib/storage'

export type { BoardVersion, DeletedNote, VersionList }

interface Who {
  readonly boardId: string
  readonly token: string
  readonly name: string
}

/** The trash and the history of one board, called as this person (their token and, as a participant, their credential). */
export class Recovery {
  constructor(private readonly who: Who) {}

  trash(): Promise<Result<DeletedNote[]>> {
    return listTrash(this.who.boardId, this.who.token, this.credential())
  }

  restoreNote(entryId: number): Promise<Result<{ noteId: string }>> {
    return restoreNote(this.who.boardId, this.who.token, this.credential(), entryId)
  }

  versions(): Promise<Result<VersionList>> {
    return listVersions(this.who.boardId, this.who.token)
  }

  restoreVersion(versionId: number): Promise<Result<{ kept: number | null }>> {
    return restoreVersion(this.who.boardId, this.who.token, versionId, this.who.name)
  }

  /** The credential the server issued on this board (remembered at the first welcome). */
  private credential(): string | null {
    return boardIdentity(this.who.boardId)?.credential ?? null
  }
}
