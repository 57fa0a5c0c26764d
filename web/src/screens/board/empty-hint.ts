/** "Double-cliquez pour ajouter une idée" on a board without notes, for a person who may write: a blank board said nothing. */
import type { BoardCanvas } from '../../board/canvas'
import { bindText } from '../../i18n'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'

// A touch screen has no double-click: it is a double tap there (pointer-gestures.ts).
const TOUCH_QUERY = '(hover: none) and (pointer: coarse)'
// What the hint must not hide (it lay over a zone's title), nor go under (the search corner and
// the minimap float over the canvas); a zone's prompt only when it can.
const MUST_CLEAR = '.zone__title, .zone-row-label, .board-corner, .minimap'
const SHOULD_CLEAR = '.zone__hint'
// From the uncovered area's edges and around what it keeps clear of, in screen pixels.
const MARGIN = 12
const SPACING = 4
// How far apart the spots tried are, top to bottom.
const STEP = 8

type Box = [number, number, number, number]

export function emptyHint(session: BoardSession, canvas: BoardCanvas): HTMLElement {
  const el = bindText(h('p', { class: 'board-empty-hint', attrs: { hidden: true } }), matchMedia(TOUCH_QUERY).matches ? 'canvas.emptyHintTouch' : 'canvas.emptyHint')
  let ready = false
  const refresh = (): void => {
    el.hidden = !ready || !session.canWrite() || session.model.ids().length > 0
    if (!el.hidden) place(el, canvas)
  }
  session.on('ready', () => {
    ready = true
    refresh()
  })
  session.on('model', refresh)
  // Only an empty board changes the answer; a board with notes skips the count.
  session.on('notes', () => {
    if (!el.hidden || session.model.size === 0) refresh()
  })
  session.on('access', refresh)
  session.on('layout', () => {
    if (!el.hidden) place(el, canvas)
  })
  canvas.on('view', () => {
    if (!el.hidden) place(el, canvas)
  })
  return el
}

/**
 * Puts the hint in the uncovered part of the canvas, as high as it can go (centred, else at the
 * left or the right) where it covers no zone title or row label, nor a zone's prompt if that can
 * be; at the top centre when the screen leaves no such place.
 */
function place(el: HTMLElement, canvas: BoardCanvas): void {
  const frame = canvas.el.getBoundingClientRect()
  if (frame.width === 0) return
  const width = el.offsetWidth
  const height = el.offsetHeight
  const [areaLeft, areaTop, areaWidth, areaHeight] = canvas.uncoveredArea()
  const boxes = (selector: string): Box[] => [...canvas.el.querySelectorAll(selector)]
    .filter((item) => item.getClientRects().length > 0)
    .map((item) => {
      const r = item.getBoundingClientRect()
      return [r.left - frame.left - SPACING, r.top - frame.top - SPACING, r.right - frame.left + SPACING, r.bottom - frame.top + SPACING]
    })
  const mustClear = boxes(MUST_CLEAR)
  const columns = [
    areaLeft + (areaWidth - width) / 2,
    areaLeft + MARGIN,
    areaLeft + areaWidth - MARGIN - width,
  ].filter((x) => x >= areaLeft)
  const bottom = areaTop + areaHeight - MARGIN - height
  const find = (obstacles: readonly Box[]): [number, number] | null => {
    for (let y = areaTop + MARGIN; y <= bottom; y += STEP) {
      for (const x of columns) {
        const covers = obstacles.some(([l, t, r, b]) => x < r && l < x + width && y < b && t < y + height)
        if (!covers) return [x, y]
      }
    }
    return null
  }
  const [x, y] = find([...mustClear, ...boxes(SHOULD_CLEAR)]) ?? find(mustClear) ?? [areaLeft + (areaWidth - width) / 2, areaTop + MARGIN]
  el.style.left = `${Math.round(Math.max(0, x))}px`
  el.style.top = `${Math.round(y)}px`
}
