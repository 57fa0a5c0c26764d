/** Tests of where grid templates' row labels are drawn. */
import { describe, expect, it } from 'vitest'
import type { Zone } from './model'
import { rowLabels } from './row-labels'

const zone = (id: string, row: string, rect: [number, number, number, number]): Zone =>
  ({ id, title: id, hint: '', rect, color: '', order: 0, row, col: '' })

describe('row labels', () => {
  it('one label per band, above its cells; zones without a row have none', () => {
    const labels = rowLabels([
      zone('a', 'Santé', [40, 100, 320, 240]),
      zone('b', 'Santé', [380, 100, 320, 240]),
      zone('c', 'Logement', [40, 420, 320, 240]),
      zone('d', '', [40, 800, 320, 240]),
    ])
    expect(labels).toEqual([
      { text: 'Santé', rect: [40, 44, 660, 48] },
      { text: 'Logement', rect: [40, 364, 320, 48] },
    ])
  })
})
