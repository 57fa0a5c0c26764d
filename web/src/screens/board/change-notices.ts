/** Toasts for what happens to the board: the session's notices, and what a facilitator just changed, told to participants. */
import { t } from '../../i18n'
import type { BoardSession } from '../../session/board-session'
import { Role } from '../../sync/protocol'
import type { Toasts } from '../widgets/toasts'

export function showChanges(session: BoardSession, toasts: Toasts): void {
  session.on('notice', ({ text, kind, topic }) => toasts.show(text, kind, topic))
  session.on('noticeWithdrawn', (topic) => toasts.withdraw(topic))
  session.on('layout', ({ before }) => {
    // Changes, not states: the first read of the layout (joining, reloading) is no change, so a
    // person joining after the reveal is not told "the results are shown" (issue 22).
    if (session.role !== Role.PARTICIPANT || !session.isLayoutSynced) return
    const { meta, facilitation } = session
    if (before.meta.locked !== meta.locked) toasts.show(t(meta.locked ? 'lock.nowLocked' : 'lock.nowUnlocked'))
    if (before.meta.editOthersNotes !== meta.editOthersNotes) {
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
