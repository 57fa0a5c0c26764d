/** The view onto the infinite board: screen = board × zoom + offset. Pure arithmetic. */
import type { Rect } from './geometry'

export const MIN_ZOOM = 0.1
export const MAX_ZOOM = 4

export interface View {
  x: number
  y: number
  zoom: number
}

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom))
}

export function toBoard(view: View, sx: number, sy: number): [number, number] {
  return [(sx - view.x) / view.zoom, (sy - view.y) / view.zoom]
}

export function toScreen(view: View, bx: number, by: number): [number, number] {
  return [bx * view.zoom + view.x, by * view.zoom + view.y]
}

/** Zoom by a factor keeping the board point under (sx, sy) in place. */
export function zoomAt(view: View, factor: number, sx: number, sy: number): View {
  const zoom = clampZoom(view.zoom * factor)
  const [bx, by] = toBoard(view, sx, sy)
  return { zoom, x: sx - bx * zoom, y: sy - by * zoom }
}

/** The view showing a board rectangle whole and centred in a screen of width × height. */
export function fitRect(rect: Rect, width: number, height: number, padding = 32, maxZoom = 1.5): View {
  const [x, y, w, h] = rect
  const zoom = clampZoom(Math.min(maxZoom, (width - 2 * padding) / Math.max(w, 1), (height - 2 * padding) / Math.max(h, 1)))
  return { zoom, x: (width - w * zoom) / 2 - x * zoom, y: (height - h * zoom) / 2 - y * zoom }
}

/** The board rectangle visible in a screen of width × height. */
export function visibleRect(view: View, width: number, height: number): Rect {
  const [x, y] = toBoard(view, 0, 0)
  return [x, y, width / view.zoom, height / view.zoom]
}
