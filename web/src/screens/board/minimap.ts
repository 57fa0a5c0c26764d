/** The overview (minimap): every zone and note small, the visible area as a frame; a click there moves the view to that spot. */
import { bindAttr } from '../../i18n'
import type { BoardCanvas } from '../../board/canvas'
import type { Rect } from '../../board/geometry'
import { fromMinimap, minimapFrame, toMinimap } from '../../board/minimap-frame'
import { visibleRect } from '../../board/viewport'
import { h, svg } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'

const WIDTH = 180
const HEIGHT = 100

export class Minimap {
  /** A button: a click centres the view on the spot clicked; Enter or Space (no spot) shows everything. */
  readonly el: HTMLButtonElement
  private readonly picture = svg('svg', { width: WIDTH, height: HEIGHT, viewBox: `0 0 ${WIDTH} ${HEIGHT}`, 'aria-hidden': 'true' })
  /** The board's zones and notes, drawn again on a change; the visible area's frame stays one element. */
  private readonly shapes = svg('g')
  private readonly viewFrame = svg('rect', { class: 'minimap__view' })
  private frame = minimapFrame(null, [0, 0, 1, 1], WIDTH, HEIGHT)
  private scheduled = 0

  constructor(session: BoardSession, private readonly canvas: BoardCanvas) {
    this.picture.append(this.shapes, this.viewFrame)
    this.el = h('button', { class: 'minimap', attrs: { type: 'button' } }, [this.picture])
    bindAttr(this.el, 'aria-label', 'minimap.label')
    bindAttr(this.el, 'title', 'minimap.label')
    this.el.addEventListener('click', this.onClick)
    canvas.on('view', () => this.schedule())
    for (const event of ['notes', 'model', 'layout'] as const) session.on(event, () => this.schedule())
  }

  private readonly onClick = (event: MouseEvent): void => {
    // A keyboard activation has no spot (detail 0): everything is shown instead.
    if (event.detail === 0) {
      this.canvas.requestFit()
      return
    }
    const box = this.picture.getBoundingClientRect()
    const [bx, by] = fromMinimap(this.frame, event.clientX - box.left, event.clientY - box.top)
    const [left, top, width, height] = this.canvas.uncoveredArea()
    const { zoom } = this.canvas.view
    this.canvas.setView({ zoom, x: left + width / 2 - bx * zoom, y: top + height / 2 - by * zoom })
  }

  /** Drawn at most once a frame, after the canvas has drawn its own changes. */
  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = requestAnimationFrame(() => {
      this.scheduled = 0
      this.draw()
    })
  }

  private draw(): void {
    const { width, height } = this.canvas.size
    const visible = visibleRect(this.canvas.view, width, height)
    this.frame = minimapFrame(this.canvas.contentBounds(), visible, WIDTH, HEIGHT)
    const place = (el: SVGRectElement, board: Rect): SVGRectElement => {
      const [x, y, w, h] = toMinimap(this.frame, board)
      for (const [name, value] of [['x', x], ['y', y], ['width', Math.max(w, 1)], ['height', Math.max(h, 1)]] as const) el.setAttribute(name, String(value))
      return el
    }
    const shapes: SVGElement[] = []
    for (const zone of this.canvas.zones) shapes.push(place(svg('rect', { class: 'minimap__zone' }), zone.rect))
    for (const note of this.canvas.notes()) shapes.push(place(svg('rect', { class: `minimap__note swatch--${note.color}` }), note.rect))
    this.shapes.replaceChildren(...shapes)
    place(this.viewFrame, visible)
  }
}
