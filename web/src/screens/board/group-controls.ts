/** Groups (themes) on the board screen: the "Regrouper" button, the groups layer kept in step with the notes document, and folding, renaming, ungrouping and voting on a group. */
import { bindText, onLocaleChange, t } from '../../i18n'
import type { BoardCanvas } from '../../board/canvas'
import { type Rect, bounds } from '../../board/geometry'
import { GroupsLayer, type GroupShown } from '../../board/groups-layer'
import type { NoteData } from '../../board/model'
import { voteErrorKey } from '../../facilitation/votes'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import type { Toasts } from '../widgets/toasts'
import { fillVoteBox } from './facilitation/note-votes'

export class GroupControls {
  /** "Regrouper", for the selection's tools (selection-tools.ts), hidden for those who cannot write. */
  readonly button: HTMLButtonElement
  private readonly layer: GroupsLayer
  private frame = 0
  private offGroups: (() => void) | null = null

  constructor(private readonly session: BoardSession, private readonly canvas: BoardCanvas, private readonly toasts: Toasts) {
    const { commands } = session
    this.layer = new GroupsLayer({
      fold: (id, folded) => commands.changeGroup(id, () => session.groups.setFolded(id, folded)),
      rename: (id, title) => commands.changeGroup(id, () => session.groups.rename(id, title)),
      ungroup: (id) => commands.ungroup(id),
      votes: (id, box) => fillVoteBox(box, session, asVotable(id), (groupId, delta) => void this.cast(groupId, delta), null),
      renameDone: () => canvas.el.focus({ preventScroll: true }),
    })
    canvas.addUnderlay(this.layer.el)
    this.button = h('button', { class: 'button', attrs: { type: 'button', 'data-action': 'group' }, on: { click: () => this.makeGroup() } })
    this.button.append(bindText(h('span'), 'group.make'))
    this.button.title = t('group.makeHint')
    session.on('model', () => this.bind())
    session.on('rights', () => this.schedule())
    session.on('access', () => this.refreshButton())
    session.on('votes', () => this.schedule())
    session.on('layout', () => this.schedule())
    canvas.on('selection', () => this.refreshButton())
    // The `G` key is "Regrouper"; a note dropped on another made a theme: its title opens as well.
    canvas.on('groupRequest', () => {
      if (!this.button.hidden) this.makeGroup()
    })
    canvas.on('groupMade', (id) => this.nameNew(id))
    onLocaleChange(() => {
      this.button.title = t('group.makeHint')
      this.schedule()
    })
    this.bind()
    this.refreshButton()
  }

  private bind(): void {
    this.offGroups?.()
    this.offGroups = this.session.groups.observe(() => this.schedule())
    this.schedule()
  }

  private refreshButton(): void {
    this.button.hidden = !this.session.canWrite()
    this.button.disabled = this.canvas.selection.size === 0
  }

  private makeGroup(): void {
    const id = this.session.commands.makeGroup([...this.canvas.selection])
    if (id !== null) this.nameNew(id)
  }

  /** A group just made here: its title field opens at once ("Thème" kept with Escape). */
  private nameNew(id: string): void {
    this.render()
    const group = this.session.groups.get(id)
    if (group) this.layer.startRename(group)
  }

  private schedule(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.render()
    })
  }

  /** Frames from the notes as the model holds them (the canvas may not have painted them yet). */
  private render(): void {
    const { session } = this
    const groups = session.groups
    const all = groups.all()
    const shown: GroupShown[] = []
    const hidden = new Set<string>()
    for (const group of all) {
      const rects: Rect[] = []
      for (const id of groups.members(group.id)) {
        const note = session.model.get(id)
        if (!note) continue
        rects.push(note.rect)
        if (group.folded) hidden.add(id)
      }
      shown.push({ group, notesRect: bounds(rects), count: rects.length, mayChange: session.mayChangeGroup(group) && session.canWrite() })
    }
    this.canvas.setFrames(this.layer.render(shown, [0, 0]))
    this.canvas.setFolded(hidden)
  }

  private async cast(groupId: string, delta: 1 | -1): Promise<void> {
    const ack = await this.session.castVote(groupId, delta)
    if (ack === null) return
    if (!ack.ok) this.toasts.show(t(voteErrorKey(ack.code)), 'error')
    this.schedule()
  }
}

/** A group as the vote box reads a note: its id, never private (the canvas and the list view). */
export function asVotable(id: string): NoteData {
  return { id, text: '', rect: [0, 0, 0, 0], color: 'yellow', author: '', authorId: '', createdAt: 0, z: 0 }
}
