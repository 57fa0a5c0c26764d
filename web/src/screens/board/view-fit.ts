/** Fitting the board on screen: once when it opens, and on a projector each time the board grows, until the person moves the view. */
import type { BoardCanvas } from '../../board/canvas'
import type { BoardSession } from '../../session/board-session'
import { Role } from '../../sync/protocol'

// A projector follows the board: after changes settle, fit everything on screen.
const PROJECTOR_FIT_DELAY_MS = 600

export class ViewFit {
  private firstView = true
  private following = true
  private timer: ReturnType<typeof setTimeout> | undefined

  /** `onFirstView`: the board was shown whole for the first time. */
  constructor(private readonly session: BoardSession, private readonly canvas: BoardCanvas, private readonly onFirstView: () => void) {
    session.on('ready', () => this.showFirstView())
    session.on('layout', ({ zonesChanged }) => {
      if (zonesChanged) this.schedule()
    })
    session.on('notes', () => this.schedule())
    canvas.el.addEventListener('pointerdown', () => this.stopFollowing())
    canvas.el.addEventListener('wheel', () => this.stopFollowing(), { passive: true })
  }

  /** "Tout voir": everything on screen, and a projector follows the board again. */
  fitAll(): void {
    this.following = true
    this.canvas.fitContent()
  }

  private showFirstView(): void {
    if (!this.firstView) return
    this.firstView = false
    this.canvas.flush()
    this.canvas.fitContent(this.session.role === Role.OBSERVER ? 2 : 1)
    this.onFirstView()
  }

  private schedule(): void {
    if (this.session.role !== Role.OBSERVER || !this.following || this.firstView) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.canvas.fitContent(2), PROJECTOR_FIT_DELAY_MS)
  }

  private stopFollowing(): void {
    if (this.session.role === Role.OBSERVER) this.following = false
  }
}
