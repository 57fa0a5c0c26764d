/** Tests of the overview's arithmetic. */
import { describe, expect, it } from 'vitest'
import { fromMinimap, minimapFrame, toMinimap } from './minimap-frame'

describe('minimapFrame', () => {
  it('holds the content and the visible area, centred, and maps both ways', () => {
    const frame = minimapFrame([0, 0, 2000, 1000], [3000, 0, 1000, 500], 200, 100)
    const [x, y, w, h] = toMinimap(frame, [0, 0, 4000, 1000])
    expect(x).toBeGreaterThanOrEqual(0)
    expect(y).toBeGreaterThanOrEqual(0)
    expect(x + w).toBeLessThanOrEqual(200)
    expect(y + h).toBeLessThanOrEqual(100)
    expect(x + w / 2).toBeCloseTo(100)
    const [bx, by] = fromMinimap(frame, x + w / 2, y + h / 2)
    expect(bx).toBeCloseTo(2000)
    expect(by).toBeCloseTo(500)
  })

  it('shows the visible area alone on an empty board', () => {
    const frame = minimapFrame(null, [100, 100, 800, 400], 200, 100)
    const [x, , w] = toMinimap(frame, [100, 100, 800, 400])
    expect(x + w / 2).toBeCloseTo(100)
  })
})
