/** Tests of zone membership. */
import { describe, expect, it } from 'vitest'
import { type Rect, zoneOf } from './geometry'

const zone = (id: string, rect: Rect) => ({ id, rect })

describe('zoneOf', () => {
  const zones = [zone('big', [0, 0, 1000, 1000]), zone('small', [100, 100, 200, 200]), zone('side', [1200, 0, 300, 300])]

  it('is the zone containing the note’s centre, the smallest when zones overlap', () => {
    expect(zoneOf([150, 150, 100, 60], zones)?.id).toBe('small')
    expect(zoneOf([500, 500, 100, 60], zones)?.id).toBe('big')
    // The centre decides, not the corner.
    expect(zoneOf([1150, 10, 180, 120], zones)?.id).toBe('side')
    expect(zoneOf([2000, 2000, 100, 60], zones)).toBeNull()
  })
})
