/** Fitting the board on screen: once when it opens, again while the screen changes until the person moves the view, and on a projector each time the board grows. */
import type { BoardCanvas } from '../../board/canvas'
import type { View } from '../../board/viewport'
import type { BoardSession } from '../../session/board-session'
import { Role } from '../../sync/protocol'
import { uncoveredArea } from './uncovered-area'

// A projector follows the board: after changes settle, fit everything on screen.
const PROJECTOR_FIT_DELAY_MS = 600
// A fit fills the screen up to this zoom (a large screen showed a template at 100 %, small in the
// middle); a projector, read from afar, goes further.
const FIT_MAX_ZOOM = 1.5
const PROJECTOR_MAX_ZOOM = 2

export class ViewFit {
  private firstView = true
  private following = true
  /** The view the last fit set, as long as nobody moved it: the screen changing size fits again. */
  private fitted: View | null = null
  private timer: ReturnType<typeof setTimeout> | undefined

  /**
   * `covers`: the bars floating over the canvas (a fit shows the board clear of them);
   * `onFirstView`: the board was shown whole for the first time.
   */
  constructor(
    private readonly session: BoardSession,
    private readonly canvas: BoardCanvas,
    covers: readonly HTMLElement[],
    private readonly onFirstView: () => void,
  ) {
    canvas.setUncovered(() => uncoveredArea(canvas.el, covers))
    session.on('ready', () => this.showFirstView())
    session.on('layout', ({ zonesChanged }) => {
      if (zonesChanged) this.schedule()
    })
    session.on('notes', () => this.schedule())
    canvas.on('fitRequest', () => this.fitAll())
    canvas.el.addEventListener('pointerdown', () => this.stopFollowing())
    canvas.el.addEventListener('wheel', () => this.stopFollowing(), { passive: true })
    // A banner appearing, the toolbar wrapping, a phone turned, the canvas shown again after the
    // phone's form: the fitted board would be cut or shifted.
    const observer = new ResizeObserver(() => this.keepFitted())
    observer.observe(canvas.el)
    for (const cover of covers) observer.observe(cover)
  }

  /** "Tout voir": everything on screen, and a projector follows the board again. */
  fitAll(): void {
    this.following = true
    this.fit()
  }

  private fit(): void {
    const area = this.canvas.uncoveredArea()
    // A phone keeps its few pixels for the board.
    const padding = Math.round(Math.min(32, Math.max(8, Math.min(area[2], area[3]) * 0.03)))
    this.canvas.fitContent(this.session.role === Role.OBSERVER ? PROJECTOR_MAX_ZOOM : FIT_MAX_ZOOM, area, padding)
    this.fitted = this.canvas.view
  }

  private keepFitted(): void {
    if (this.fitted !== null && this.canvas.view === this.fitted) this.fit()
  }

  private showFirstView(): void {
    if (!this.firstView) return
    this.firstView = false
    this.canvas.flush()
    this.fit()
    this.onFirstView()
  }

  private schedule(): void {
    if (this.session.role !== Role.OBSERVER || !this.following || this.firstView) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.fit(), PROJECTOR_FIT_DELAY_MS)
  }

  private stopFollowing(): void {
    if (this.session.role === Role.OBSERVER) this.following = false
  }
}
