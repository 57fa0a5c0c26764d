/** The arithmetic of the overview (minimap): the board and the visible area scaled into a small box, and a click there back to a board point. Pure. */
import { type Rect, bounds } from './geometry'

export interface MinimapFrame {
  scale: number
  /** Board point at the box's top left. */
  x: number
  y: number
}

const PADDING = 6

/**
 * The frame showing both the board's content and the visible area whole and centred in a box of
 * width × height (so the visible area is always in the picture, even far from the notes).
 */
export function minimapFrame(content: Rect | null, visible: Rect, width: number, height: number): MinimapFrame {
  const all = bounds(content ? [content, visible] : [visible]) as Rect
  const scale = Math.min((width - 2 * PADDING) / Math.max(all[2], 1), (height - 2 * PADDING) / Math.max(all[3], 1))
  return { scale, x: all[0] - (width / scale - all[2]) / 2, y: all[1] - (height / scale - all[3]) / 2 }
}

/** A board rectangle in the box's pixels. */
export function toMinimap(frame: MinimapFrame, [x, y, w, h]: Rect): Rect {
  return [(x - frame.x) * frame.scale, (y - frame.y) * frame.scale, w * frame.scale, h * frame.scale]
}

/** The board point under a pixel of the box. */
export function fromMinimap(frame: MinimapFrame, px: number, py: number): [number, number] {
  return [frame.x + px / frame.scale, frame.y + py / frame.scale]
}
