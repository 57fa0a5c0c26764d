/** The part of the board canvas that no floating bar covers: fits and follow-me show the board there, not under the toolbar. */
import type { Rect } from '../../board/geometry'

// Space kept between the board and a bar floating over it.
const MARGIN = 8

/**
 * `covers` float over the canvas (the toolbar at the bottom, the phone's add button): one in the
 * canvas's lower half takes the canvas from its top edge down, one in the upper half from its
 * bottom edge up. Hidden ones and ones beside the canvas take nothing.
 */
export function uncoveredArea(canvas: HTMLElement, covers: readonly HTMLElement[]): Rect {
  const box = canvas.getBoundingClientRect()
  let top = 0
  let bottom = box.height
  for (const cover of covers) {
    const rect = cover.getBoundingClientRect()
    if (rect.width === 0 || rect.height === 0) continue
    if (rect.bottom <= box.top || rect.top >= box.bottom || rect.right <= box.left || rect.left >= box.right) continue
    const middle = (rect.top + rect.bottom) / 2 - box.top
    if (middle > box.height / 2) bottom = Math.min(bottom, rect.top - box.top - MARGIN)
    else top = Math.max(top, rect.bottom - box.top + MARGIN)
  }
  // A screen so small that the bars cover it all still shows the board somewhere.
  if (bottom - top < box.height / 3) return [0, 0, box.width, box.height]
  return [0, top, box.width, bottom - top]
}
