/** Who may change which note: the rule the server judges every notes update by (docs/protocol.md section 4, "Judging notes"), kept here so that the client never sends a change the server refuses. */
import type { NoteData } from '../board/model'
import type { Step } from '../board/undo'
import { Role, type RoleValue } from '../sync/protocol'

/** What the rule reads: this person's role and id, and the board's settings. */
export interface NoteRights {
  role: RoleValue | null
  participantId: string
  locked: boolean
  /** `meta.editOthersNotes`: participants may change notes others wrote. */
  editOthersNotes: boolean
}

/** Facilitators and unlocked participants write notes at all; observers never. */
export function mayWriteNotes(rights: NoteRights): boolean {
  return rights.role === Role.FACILITATOR || (rights.role === Role.PARTICIPANT && !rights.locked)
}

/**
 * Whether this person may change (edit, move, resize, recolour, delete) a note: a facilitator
 * always; a participant on an unlocked board when it is their own note (or their private one), or
 * when the facilitator lets everyone change every note; an observer never.
 */
export function mayChangeNote(rights: NoteRights, note: Pick<NoteData, 'authorId' | 'private'>): boolean {
  if (rights.role === Role.FACILITATOR) return true
  if (!mayWriteNotes(rights)) return false
  if (note.private || rights.editOthersNotes) return true
  return note.authorId !== '' && note.authorId === rights.participantId
}

/**
 * Whether an undo or redo step may be replayed. Replaying undoes what the step's transaction did:
 * a note it deleted is created again, which the server accepts only in its writer's own name,
 * whatever the role; a note it created or changed is deleted or changed back, which needs the right
 * to change it. A note that is gone is left alone by the replay.
 */
export function mayReplay(rights: NoteRights, step: Step, current: (id: string) => NoteData | null): boolean {
  if (!mayWriteNotes(rights)) return false
  for (const [id, touched] of step) {
    if (touched.kind === 'deleted') {
      if (touched.authorId === '' || touched.authorId !== rights.participantId) return false
      continue
    }
    const note = current(id)
    if (note && !mayChangeNote(rights, note)) return false
  }
  return true
}

/**
 * Whether this person may rename, fold or undo a group (theme): a facilitator always; a
 * participant on an unlocked board when they made it, or when everyone may change every note.
 */
export function mayChangeGroup(rights: NoteRights, group: { createdBy: string }): boolean {
  if (rights.role === Role.FACILITATOR) return true
  if (!mayWriteNotes(rights)) return false
  return rights.editOthersNotes || (group.createdBy !== '' && group.createdBy === rights.participantId)
}

/**
 * Whether this person may take back a reaction or delete a comment by `authorId`: a facilitator
 * always (they clear a note's reactions and comments); a participant on an unlocked board their
 * own only, even when everyone may change every note; an observer never.
 */
export function mayRemoveTalk(rights: NoteRights, authorId: string): boolean {
  if (rights.role === Role.FACILITATOR) return true
  return mayWriteNotes(rights) && authorId !== '' && authorId === rights.participantId
}
