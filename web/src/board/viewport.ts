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
  return fitRectInto(rect, [0, 0, width, height], padding, maxZoom)
}

/**
 * The view showing a board rectangle whole and centred in `area`, a part of the screen (screen
 * pixels from the canvas's top left): the part not covered by the floating toolbar.
 */
export function fitRectInto(rect: Rect, area: Rect, padding = 32, maxZoom = 1.5): View {
  const [x, y, w, h] = rect
  const [ax, ay, aw, ah] = area
  const zoom = clampZoom(Math.min(maxZoom, (aw - 2 * padding) / Math.max(w, 1), (ah - 2 * padding) / Math.max(h, 1)))
  return { zoom, x: ax + (aw - w * zoom) / 2 - x * zoom, y: ay + (ah - h * zoom) / 2 - y * zoom }
}

// One notch of a mouse wheel is 100 px (deltaMode 0) or 3 lines in Chromium and Firefox; taken
// as is (exp(-100 × 0.01)) it zoomed from 120 % to 44 %. A trackpad pinch sends many small deltas
// for which exp(-delta × 0.01) is the pinch's own scale, so small deltas keep that rate and each
// event is capped at about 12 %: a notch zooms by 1.12, three by 1.4, whatever the device says.
const WHEEL_ZOOM_RATE = 0.01
const WHEEL_ZOOM_MAX_STEP = Math.log(1.12)

/** The zoom factor of one Ctrl+wheel (or trackpad pinch) event. */
export function wheelZoomFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 800 : deltaY
  const step = Math.max(-WHEEL_ZOOM_MAX_STEP, Math.min(WHEEL_ZOOM_MAX_STEP, pixels * WHEEL_ZOOM_RATE))
  return Math.exp(-step)
}

/** The view showing `rect` (board units) whole and centred in `area` of the screen, at whatever zoom that takes: follow me by area. */
export function showArea(rect: Rect, area: Rect): View {
  return fitRectInto(rect, area, 0, MAX_ZOOM)
}

/** The board rectangle visible in a screen of width × height. */
export function visibleRect(view: View, width: number, height: number): Rect {
  const [x, y] = toBoard(view, 0, 0)
  return [x, y, width / view.zoom, height / view.zoom]
}
