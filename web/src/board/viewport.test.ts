/** Tests of the view arithmetic: fitting into the part of the screen the toolbar leaves, wheel zoom, showing an area. */
import { describe, expect, it } from 'vitest'
import type { Rect } from './geometry'
import { fitRectInto, showArea, toScreen, wheelZoomFactor } from './viewport'

function shownAt(rect: Rect, view: ReturnType<typeof fitRectInto>): Rect {
  const [x, y] = toScreen(view, rect[0], rect[1])
  return [x, y, rect[2] * view.zoom, rect[3] * view.zoom]
}

describe('fitting a board into part of the screen', () => {
  it('keeps the board inside the area, clear of what covers the rest', () => {
    // A 390 × 844 phone whose toolbar covers the bottom 80 px and whose top bar the top 100 px.
    const area: Rect = [0, 100, 390, 664]
    const board: Rect = [40, 100, 1800, 1000]
    const [x, y, w, h] = shownAt(board, fitRectInto(board, area, 12))
    expect(x).toBeGreaterThanOrEqual(12 - 1e-9)
    expect(x + w).toBeLessThanOrEqual(378 + 1e-9)
    expect(y).toBeGreaterThanOrEqual(100)
    expect(y + h).toBeLessThanOrEqual(764)
    // Fitted to the width: a wide board uses the whole width of a phone.
    expect(w).toBeCloseTo(366)
  })

  it('stops at the largest zoom it is given', () => {
    expect(fitRectInto([0, 0, 100, 100], [0, 0, 2560, 1400], 32, 1.5).zoom).toBe(1.5)
  })
})

describe('wheel zoom', () => {
  it('zooms one mouse notch by about 12 %, not by a factor of e', () => {
    expect(wheelZoomFactor(100, 0)).toBeCloseTo(1 / 1.12)
    expect(wheelZoomFactor(-100, 0)).toBeCloseTo(1.12)
    expect(wheelZoomFactor(3, 1)).toBeCloseTo(1 / 1.12)
  })

  it('follows a trackpad pinch’s small steps proportionally', () => {
    expect(wheelZoomFactor(2, 0)).toBeCloseTo(Math.exp(-0.02))
    expect(wheelZoomFactor(-5, 0)).toBeCloseTo(Math.exp(0.05))
  })
})

describe('showing an area another screen sees', () => {
  it('puts the whole area on screen, whatever the zoom it takes', () => {
    const area: Rect = [100, 50, 2000, 900]
    const screen: Rect = [0, 150, 390, 600]
    const view = showArea(area, screen)
    const [x, y, w, h] = shownAt(area, view)
    expect(x).toBeCloseTo(0)
    expect(w).toBeCloseTo(390)
    expect(y).toBeGreaterThanOrEqual(150)
    expect(y + h).toBeLessThanOrEqual(750)
  })
})
