/** Reactions and comments on the canvas: each note's chips and comment button (after what facilitation adds), repainted when they change, and the thread panel they open. */
import { onLocaleChange } from '../../i18n'
import type { BoardCanvas } from '../../board/canvas'
import type { NoteData } from '../../board/model'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import { fillTalkBox } from './note-talk'
import { TalkPanel } from './talk-panel'
import './talk.css'

export class TalkControls {
  readonly panel: TalkPanel
  private offTalk: (() => void) | null = null

  constructor(private readonly session: BoardSession, private readonly canvas: BoardCanvas) {
    this.panel = new TalkPanel(session)
    const before = canvas.decorate
    canvas.decorate = (data, el) => {
      before?.(data, el)
      this.decorate(data, el)
    }
    session.on('model', () => this.bind())
    session.on('rights', () => this.repaintAll())
    onLocaleChange(() => this.repaintAll())
    this.bind()
  }

  private bind(): void {
    this.offTalk?.()
    this.offTalk = this.session.talk.observe((ids) => this.canvas.invalidate(ids))
    this.repaintAll()
  }

  private repaintAll(): void {
    this.canvas.invalidate(new Set([...this.canvas.notes()].map((n) => n.id)))
  }

  private decorate(data: NoteData, el: HTMLElement): void {
    let box = el.querySelector<HTMLElement>(':scope > .note__talk')
    if (!box) box = h('div', { class: 'note__talk' })
    if (!fillTalkBox(box, this.session, data, (id, from) => this.panel.open(id, from), null)) {
      box.remove()
      return
    }
    if (!box.isConnected) el.insertBefore(box, el.querySelector('.note__resize'))
  }
}
