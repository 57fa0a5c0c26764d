/**
 * Issue 4 on the board screen: the timer, dot voting, the facilitator's panel, follow me, the
 * private writing phase and the share links from another device. board-screen.ts creates one
 * and calls its hooks; everything else lives here and in the modules it uses.
 */
import type * as Y from 'yjs'
import { bindText, t } from '../i18n'
import type { BoardCanvas } from '../board/canvas'
import { MergedNotes } from '../board/merged-notes'
import { NotesModel } from '../board/model'
import { type Facilitation, readFacilitation, readTimer, readVoting } from '../facilitation/state'
import { ServerClock } from '../facilitation/timer'
import type { Connection } from '../sync/connection'
import type { WireError } from '../sync/protocol'
import { Role, type RoleValue, type Welcome } from '../sync/protocol'
import type { Presence } from '../sync/presence'
import { PrivateDoc } from '../sync/private-doc'
import { h } from './dom'
import { type BoardShare, getBoard } from './facilitation-api'
import { FacilitatorPanel } from './facilitator-panel'
import { showQrScreen } from './qr-screen'
import { type ShareLinks, linksFor, sharePanel, shareUnavailable } from './share-panel'
import * as storage from './storage'
import { TimerWidget } from './timer-widget'
import './facilitation.css'
import { VotesUI } from './votes-ui'

export interface FacilitationHost {
  boardId: string
  token: string
  participantId: string
  connection: Connection
  canvas: BoardCanvas
  presence: Presence
  layout(): Y.Doc
  anonymous(): boolean
  title(): string
  role(): RoleValue | null
  toast(text: string, kind?: 'error'): void
  /** The private document appeared or was replaced: build the notes model again. */
  rebindNotes(): void
  onRefused(error: WireError): void
}

export class FacilitationUI {
  readonly clock = new ServerClock()
  readonly timer: TimerWidget
  readonly votes: VotesUI
  /** Under the top bar: the timer, the vote status, the follow toggle, the private phase. */
  readonly strip: HTMLElement
  readonly panelButton: HTMLButtonElement
  readonly panelEl: HTMLElement
  private readonly panel: FacilitatorPanel
  private readonly followBar = h('div', { class: 'follow-bar', attrs: { hidden: true } })
  private readonly followText = h('span', { class: 'follow-bar__text' })
  private readonly followButton: HTMLButtonElement
  private readonly privateBar = h('div', { class: 'private-bar', attrs: { hidden: true, role: 'status' } })
  private state: Facilitation = { template: '', voting: readVoting(null), timer: readTimer(null), privateWriting: false, follow: null }
  private followOptOut = false
  private lastFollowed = ''
  private lastPublished = ''
  private share: BoardShare | null = null
  private readonly privateDoc: PrivateDoc

  constructor(private readonly host: FacilitationHost) {
    this.timer = new TimerWidget(this.clock, () => host.toast(t('timer.endedToast', { label: this.state.timer.label || t('timer.title') })))
    this.votes = new VotesUI({
      connection: host.connection,
      role: host.role,
      note: (id) => host.canvas.note(id),
      invalidate: (ids) => host.canvas.invalidate(ids),
      allIds: () => [...host.canvas.notes()].map((n) => n.id),
      focusNote: (id) => host.canvas.focusNote(id),
      toast: host.toast,
    })
    host.canvas.decorate = (data, el) => {
      this.votes.decorate(data, el)
      el.classList.toggle('is-private', data.private === true)
      let mark = el.querySelector<HTMLElement>(':scope > .note__private')
      if (data.private && !mark) {
        mark = bindText(h('span', { class: 'note__private' }), 'private.marker')
        el.prepend(mark)
      } else if (!data.private) mark?.remove()
    }
    this.followButton = h('button', { class: 'button button--small', attrs: { type: 'button', 'aria-pressed': 'true' }, on: { click: () => {
      this.followOptOut = !this.followOptOut
      this.lastFollowed = ''
      this.refreshFollow()
    } } })
    this.followBar.append(this.followText, this.followButton)
    this.strip = h('div', { class: 'facilitation-strip' }, [this.timer.el, this.votes.strip, this.privateBar, this.followBar])

    this.panelEl = h('aside', { class: 'side-panel', attrs: { id: 'facilitation-panel', hidden: true, 'aria-labelledby': 'facilitation-title' } })
    this.panel = new FacilitatorPanel({
      boardId: host.boardId,
      token: host.token,
      participantId: host.participantId,
      clock: this.clock,
      layout: host.layout,
      state: () => this.state,
      anonymous: host.anonymous,
      title: host.title,
      joinOpen: () => this.share?.joinOpen ?? null,
      setJoinOpenKnown: (open) => {
        if (this.share) this.share.joinOpen = open
      },
      showQr: () => void this.showQr(),
      toast: host.toast,
    }, () => this.togglePanel(false))
    this.panelEl.append(this.panel.el)
    this.panelEl.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.togglePanel(false)
    })
    this.panelButton = h('button', { class: 'button', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'facilitation-panel', hidden: true }, on: { click: () => this.togglePanel() } })
    this.panelButton.append(bindText(h('span', {}), 'facilitation.open'))

    this.privateDoc = new PrivateDoc(host.connection, {
      onRefused: (error) => host.onRefused(error),
      onReplaced: () => host.rebindNotes(),
      onSynced: () => host.rebindNotes(),
    })
  }

  /** The notes model for the board screen: with this person's private notes when they have any. */
  notesModel(shared: Y.Doc): NotesModel {
    const own = this.privateDoc.current
    if (!own) return new NotesModel(shared)
    return new MergedNotes(shared, new NotesModel(own.doc), () => this.writesPrivately())
  }

  /** New notes go to the private document: a participant, during the phase, once it is synced. */
  writesPrivately(): boolean {
    return this.host.role() === Role.PARTICIPANT && this.state.privateWriting && (this.privateDoc.current?.isSynced ?? false)
  }

  onWelcome(welcome: Welcome): void {
    this.clock.sync(welcome.serverTime)
    if (welcome.role === Role.PARTICIPANT) this.privateDoc.open()
    this.panelButton.hidden = welcome.role !== Role.FACILITATOR
    if (welcome.role === Role.FACILITATOR && this.share === null && !storage.myBoard(this.host.boardId)) void this.loadShare()
    this.timer.update(this.state.timer)
    this.votes.refresh(new Set())
  }

  onLayout(doc: Y.Doc): void {
    const before = this.state
    this.state = readFacilitation(doc)
    if (JSON.stringify(before.timer) !== JSON.stringify(this.state.timer)) this.timer.update(this.state.timer)
    this.votes.setVoting(this.state.voting)
    if (before.privateWriting !== this.state.privateWriting) {
      if (this.host.role() === Role.PARTICIPANT) this.host.toast(t(this.state.privateWriting ? 'private.started' : 'private.ended'))
    }
    this.privateBar.hidden = !this.state.privateWriting
    bindText(this.privateBar, this.host.role() === Role.FACILITATOR ? 'private.barFacilitator' : 'private.bar')
    if (before.follow !== this.state.follow) {
      this.followOptOut = false
      this.lastFollowed = ''
      this.lastPublished = ''
    }
    this.refreshFollow()
    this.publishViewport()
    if (!this.panelEl.hidden) this.panel.update()
  }

  onNotesChanged(): void {
    this.votes.notesChanged()
  }

  onPresence(): void {
    this.refreshFollow()
  }

  onViewChange(): void {
    this.publishViewport()
  }

  refreshTexts(): void {
    this.timer.refresh()
    this.refreshFollow()
    this.votes.refresh(new Set([...this.host.canvas.notes()].map((n) => n.id)))
  }

  // ---- follow me --------------------------------------------------------------------------

  private leading(): boolean {
    return this.host.role() === Role.FACILITATOR && this.state.follow === this.host.participantId
  }

  private publishViewport(): void {
    if (!this.leading()) {
      if (this.lastPublished) {
        this.lastPublished = ''
        this.host.presence.update({ viewport: null })
      }
      return
    }
    const { canvas } = this.host
    const box = canvas.el.getBoundingClientRect()
    if (box.width === 0) return
    const view = canvas.view
    const viewport: [number, number, number] = [
      Math.round((box.width / 2 - view.x) / view.zoom),
      Math.round((box.height / 2 - view.y) / view.zoom),
      Math.round(view.zoom * 1000) / 1000,
    ]
    const key = viewport.join(',')
    if (key === this.lastPublished) return
    this.lastPublished = key
    this.host.presence.update({ viewport })
  }

  private refreshFollow(): void {
    const leader = this.state.follow
    const me = this.host.participantId
    const following = leader !== null && leader !== me
    this.followBar.hidden = !following
    if (!following) return
    const state = [...this.host.presence.others().values()].find((s) => s.participantId === leader && s.role === Role.FACILITATOR)
    bindText(this.followText, this.followOptOut ? 'follow.optedOut' : 'follow.following', { name: state?.name ?? t('role.facilitator') })
    bindText(this.followButton, this.followOptOut ? 'follow.resume' : 'follow.stop')
    this.followButton.setAttribute('aria-pressed', String(!this.followOptOut))
    if (this.followOptOut || !state) return
    const viewport = state.viewport
    if (!Array.isArray(viewport) || viewport.length !== 3 || !viewport.every((v) => typeof v === 'number' && Number.isFinite(v))) return
    const key = viewport.join(',')
    if (key === this.lastFollowed) return
    this.lastFollowed = key
    const [cx, cy, zoom] = viewport
    const safeZoom = Math.min(4, Math.max(0.05, zoom))
    const box = this.host.canvas.el.getBoundingClientRect()
    this.host.canvas.setView({ zoom: safeZoom, x: box.width / 2 - cx * safeZoom, y: box.height / 2 - cy * safeZoom })
  }

  // ---- panel, share, QR -------------------------------------------------------------------

  togglePanel(force?: boolean): void {
    const open = force ?? this.panelEl.hidden
    this.panelEl.hidden = !open
    this.panelButton.setAttribute('aria-expanded', String(open))
    if (open) {
      if (this.share === null) void this.loadShare().then(() => this.panel.update())
      this.panel.update()
      this.panelEl.querySelector<HTMLElement>('h2 + button, button')?.focus()
    } else {
      this.panelButton.focus()
    }
  }

  private async loadShare(): Promise<BoardShare | null> {
    const answer = await getBoard(this.host.boardId, this.host.token)
    if (answer.ok && answer.value.share) this.share = answer.value.share
    return this.share
  }

  private async links(): Promise<ShareLinks | null> {
    const mine = storage.myBoard(this.host.boardId)
    if (mine) return linksFor(mine)
    const share = this.share ?? (await this.loadShare())
    if (!share) return null
    return {
      facilitator: `${location.origin}/b/${this.host.boardId}#token=${encodeURIComponent(this.host.token)}`,
      participant: share.links.participant,
      observer: share.links.observer,
      join: share.links.join,
      joinCode: share.joinCode,
    }
  }

  /** The content of the "Partager" panel: from "Mes tableaux", else from the server. */
  shareContent(): HTMLElement {
    const box = h('div', { class: 'share-box' }, [bindText(h('p', {}), 'board.loading')])
    void this.links().then((links) => {
      if (!links) {
        box.replaceChildren(shareUnavailable())
        return
      }
      const qr = bindText(h('button', { class: 'button', attrs: { type: 'button' }, on: { click: () => void this.showQr() } }), 'qr.show')
      box.replaceChildren(sharePanel(links), h('div', { class: 'share__actions' }, [qr]))
    })
    return box
  }

  private async showQr(): Promise<void> {
    const links = await this.links()
    if (!links) {
      this.host.toast(t('share.unavailable'), 'error')
      return
    }
    showQrScreen(links.joinCode, links.join)
  }
}
