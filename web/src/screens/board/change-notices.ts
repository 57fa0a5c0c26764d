/** Toasts for what happens to the board: the session's notices, and what a facilitator just changed, told to participants. */
import { t } from '../../i18n'
import type { BoardSession } from '../../session/board-session'
import { Role } from '../../sync/protocol'
import type { Toasts } from '../widgets/toasts'

export function showChanges(session: BoardSession, toasts: Toasts): void {
  session.on('notice', ({ text, kind }) => toasts.show(text, kind))
  session.on('layout', ({ before }) => {
    const participant = session.role === Role.PARTICIPANT
    if (!participant) return
    const { meta, facilitation } = session
    if (before.meta.locked !== meta.locked && session.isLayoutSynced) toasts.show(t(meta.locked ? 'lock.nowLocked' : 'lock.nowUnlocked'))
    if (before.meta.editOthersNotes !== meta.editOthersNotes && session.isLayoutSynced) {
      toasts.show(t(meta.editOthersNotes ? 'notes.nowEveryone' : 'notes.nowOwnOnly'))
    }
    const [was, voting] = [before.facilitation.voting, facilitation.voting]
    if (was.state !== voting.state) {
      if (voting.state === 'open') toasts.show(t('vote.nowOpen', { count: voting.budget }))
      if (voting.state === 'closed' && was.state === 'open') toasts.show(t('vote.nowClosed'))
    }
    if (was.revealed !== voting.revealed && voting.revealed) toasts.show(t('vote.nowRevealed'))
    if (before.facilitation.privateWriting !== facilitation.privateWriting) toasts.show(t(facilitation.privateWriting ? 'private.started' : 'private.ended'))
  })
}
