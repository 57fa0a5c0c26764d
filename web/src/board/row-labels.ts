/** Row labels of grid templates (docs/templates.md): a band's `row` text is not a zone, it is drawn in the gap above the band's cells. */
import { type Rect, bounds } from './geometry'
import type { Zone } from './model'

export interface RowLabel {
  text: string
  rect: Rect
}

export const ROW_LABEL_HEIGHT = 48
const ROW_LABEL_GAP = 8

export function rowLabels(zones: readonly Zone[]): RowLabel[] {
  const bands = new Map<string, Rect[]>()
  for (const zone of zones) {
    if (!zone.row.trim()) continue
    const rects = bands.get(zone.row) ?? []
    rects.push(zone.rect)
    bands.set(zone.row, rects)
  }
  const labels: RowLabel[] = []
  for (const [text, rects] of bands) {
    const box = bounds(rects)
    if (!box) continue
    labels.push({ text, rect: [box[0], box[1] - ROW_LABEL_HEIGHT - ROW_LABEL_GAP, box[2], ROW_LABEL_HEIGHT] })
  }
  return labels
}
