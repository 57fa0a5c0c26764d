/** The session section of the facilitator's panel: who changes which notes, anonymous notes, private writing, follow me, the join code, the QR screen. */
import { type Key, t } from '../../../i18n'
import { setJoinOpen } from '../../../api/facilitation'
import { setEditOthersNotes } from '../../../board/model'
import { setMeta } from '../../../facilitation/state'
import type { BoardSession } from '../../../session/board-session'
import type { Toasts } from '../../widgets/toasts'
import { button, buttons, section, setSwitch, switchButton } from './panel-parts'
import { openJoinQr } from './qr-screen'

export class SessionSwitches {
  readonly el: HTMLElement
  private readonly editOthers: HTMLButtonElement
  private readonly anonymous: HTMLButtonElement
  private readonly privateWriting: HTMLButtonElement
  private readonly follow: HTMLButtonElement
  private readonly join: HTMLButtonElement

  /** `onJoinChanged`: the server answered a change of the join code; the panel shows the board again. */
  constructor(private readonly session: BoardSession, private readonly toasts: Toasts, private readonly onJoinChanged: () => void) {
    this.editOthers = switchButton('session.editOthers', () => setEditOthersNotes(session.layout, !session.meta.editOthersNotes))
    this.anonymous = switchButton('session.anonymous', () => setMeta(session.layout, { anonymous: !session.meta.anonymous }))
    this.privateWriting = switchButton('session.private', () => setMeta(session.layout, { privateWriting: !session.facilitation.privateWriting }))
    this.follow = switchButton('session.follow', () => {
      const mine = session.facilitation.follow === session.participantId
      setMeta(session.layout, { follow: mine ? null : session.participantId })
    })
    this.join = switchButton('session.joinOpen', () => void this.toggleJoin())
    this.el = section('session.title', [
      this.editOthers,
      this.anonymous,
      this.privateWriting,
      this.follow,
      this.join,
      buttons([button('qr.show', () => void openJoinQr(session.share, toasts))]),
    ])
  }

  update(): void {
    const { session } = this
    setSwitch(this.editOthers, session.meta.editOthersNotes)
    setSwitch(this.anonymous, session.meta.anonymous)
    setSwitch(this.privateWriting, session.facilitation.privateWriting)
    setSwitch(this.follow, session.facilitation.follow === session.participantId)
    const joinOpen = session.share.joinOpen
    setSwitch(this.join, joinOpen !== false)
    this.join.toggleAttribute('disabled', joinOpen === null)
  }

  private async toggleJoin(): Promise<void> {
    const { session } = this
    const open = session.share.joinOpen === false
    const answer = await setJoinOpen(session.boardId, session.token, open)
    if (!answer.ok) {
      this.toasts.show(t(`error.${answer.error.code}` as Key), 'error')
      return
    }
    session.share.setJoinOpenKnown(answer.value.joinOpen)
    this.toasts.show(t(answer.value.joinOpen ? 'session.joinOpened' : 'session.joinClosed'))
    this.onJoinChanged()
  }
}
