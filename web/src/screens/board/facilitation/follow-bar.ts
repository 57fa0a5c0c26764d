/** Follow me: the leading facilitator's view published in presence, applied by everyone else unless they opt out (the bar under the top bar). */
// The view travels as the board area the leader sees (`viewArea`), which each screen fits into its
// own: a phone copying a laptop's 134 % showed one note. `viewport` (centre and zoom) still goes
// out for clients that only know it.
import { bindText, onLocaleChange, t } from '../../../i18n'
import type { BoardCanvas } from '../../../board/canvas'
import type { Rect } from '../../../board/geometry'
import { showArea, toBoard } from '../../../board/viewport'
import { h } from '../../../lib/dom'
import type { BoardSession } from '../../../session/board-session'
import { Role } from '../../../sync/protocol'

export class FollowBar {
  readonly el = h('div', { class: 'follow-bar', attrs: { hidden: true } })
  private readonly text = h('span', { class: 'follow-bar__text' })
  private readonly button: HTMLButtonElement
  private optedOut = false
  private lastFollowed = ''
  private lastPublished = ''

  constructor(private readonly session: BoardSession, private readonly canvas: BoardCanvas) {
    this.button = h('button', { class: 'button button--small', attrs: { type: 'button', 'aria-pressed': 'true' }, on: { click: () => {
      this.optedOut = !this.optedOut
      this.lastFollowed = ''
      this.refresh()
    } } })
    this.el.append(this.text, this.button)
    session.on('layout', ({ before }) => {
      if (before.facilitation.follow !== session.facilitation.follow) {
        this.optedOut = false
        this.lastFollowed = ''
        this.lastPublished = ''
      }
      this.refresh()
      this.publish()
    })
    session.on('presence', () => this.refresh())
    // At once, not at the leader's next move: when the board is first shown (after its first
    // fit), and when the canvas changes size (a phone turned, the board shown after the phone's
    // form, a banner), the leader's current area is shown again in the new frame.
    session.on('ready', () => this.showAgain())
    new ResizeObserver(() => this.showAgain()).observe(canvas.el)
    canvas.on('view', () => this.publish())
    onLocaleChange(() => this.refresh())
  }

  private showAgain(): void {
    this.lastFollowed = ''
    this.refresh()
  }

  private leading(): boolean {
    return this.session.role === Role.FACILITATOR && this.session.facilitation.follow === this.session.participantId
  }

  /** The leader's view, as board centre and zoom and as the board area seen clear of the toolbar, sent when it changes. */
  private publish(): void {
    const { presence } = this.session
    if (!this.leading()) {
      if (this.lastPublished) {
        this.lastPublished = ''
        presence.update({ viewport: null, viewArea: null })
      }
      return
    }
    const box = this.canvas.el.getBoundingClientRect()
    if (box.width === 0) return
    const view = this.canvas.view
    const viewport: [number, number, number] = [
      Math.round((box.width / 2 - view.x) / view.zoom),
      Math.round((box.height / 2 - view.y) / view.zoom),
      Math.round(view.zoom * 1000) / 1000,
    ]
    const [left, top, width, height] = this.canvas.uncoveredArea()
    const [ax, ay] = toBoard(view, left, top)
    const viewArea: [number, number, number, number] = [
      Math.round(ax), Math.round(ay), Math.round(width / view.zoom), Math.round(height / view.zoom),
    ]
    const key = [...viewport, ...viewArea].join(',')
    if (key === this.lastPublished) return
    this.lastPublished = key
    presence.update({ viewport, viewArea })
  }

  private refresh(): void {
    const leader = this.session.facilitation.follow
    const following = leader !== null && leader !== this.session.participantId
    this.el.hidden = !following
    if (!following) return
    const state = [...this.session.presence.others().values()].find((s) => s.participantId === leader && s.role === Role.FACILITATOR)
    bindText(this.text, this.optedOut ? 'follow.optedOut' : 'follow.following', { name: state?.name ?? t('role.facilitator') })
    bindText(this.button, this.optedOut ? 'follow.resume' : 'follow.stop')
    this.button.setAttribute('aria-pressed', String(!this.optedOut))
    if (this.optedOut || !state) return
    // A hidden canvas (the phone's form shown) has no frame to fit into: shown when it is back.
    const box = this.canvas.el.getBoundingClientRect()
    if (box.width === 0 || box.height === 0) return
    const area = readArea(state.viewArea)
    const viewport = state.viewport
    const key = JSON.stringify([area, viewport])
    if (key === this.lastFollowed) return
    if (area) {
      this.lastFollowed = key
      this.canvas.setView(showArea(area, this.canvas.uncoveredArea()))
      return
    }
    if (!Array.isArray(viewport) || viewport.length !== 3 || !viewport.every((v) => typeof v === 'number' && Number.isFinite(v))) return
    this.lastFollowed = key
    const [cx, cy, zoom] = viewport
    const safeZoom = Math.min(4, Math.max(0.05, zoom))
    this.canvas.setView({ zoom: safeZoom, x: box.width / 2 - cx * safeZoom, y: box.height / 2 - cy * safeZoom })
  }
}

/** A `viewArea` another client sent, if it is one: four finite numbers, a width and height above zero. */
function readArea(value: unknown): Rect | null {
  if (!Array.isArray(value) || value.length !== 4) return null
  if (!value.every((v) => typeof v === 'number' && Number.isFinite(v))) return null
  const [x, y, w, h] = value as Rect
  return w > 0 && h > 0 ? [x, y, w, h] : null
}
