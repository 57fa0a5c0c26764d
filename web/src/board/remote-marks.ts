/** What others are doing to notes, read from their presence: live drags, resizes and edits. */
import type { PresenceState } from '../sync/presence'

// Another client may send a longer list than ours would: only this many notes follow its drag live.
const MAX_SHOWN_DRAG_IDS = 500

export class RemoteMarks {
  private offsets = new Map<string, { dx: number; dy: number; color: string }>()
  private sizes = new Map<string, { w: number; h: number }>()
  private editors = new Map<string, { name: string; color: string }>()

  /** Reads others' presence; returns the notes whose marks may have changed. */
  set(others: Map<number, PresenceState>): Set<string> {
    const touched = new Set([...this.offsets.keys(), ...this.sizes.keys(), ...this.editors.keys()])
    this.offsets = new Map()
    this.sizes = new Map()
    this.editors = new Map()
    for (const state of others.values()) {
      const drag = state.drag
      if (drag && Array.isArray(drag.ids) && Number.isFinite(drag.dx) && Number.isFinite(drag.dy)) {
        for (const id of drag.ids.slice(0, MAX_SHOWN_DRAG_IDS)) {
          if (typeof id === 'string') this.offsets.set(id, { dx: drag.dx, dy: drag.dy, color: String(state.color) })
        }
      }
      const resize = state.resize
      if (resize && typeof resize.id === 'string' && Number.isFinite(resize.w) && Number.isFinite(resize.h)) {
        this.sizes.set(resize.id, { w: resize.w, h: resize.h })
      }
      if (typeof state.editing === 'string') this.editors.set(state.editing, { name: state.name, color: String(state.color) })
    }
    for (const id of [...this.offsets.keys(), ...this.sizes.keys(), ...this.editors.keys()]) touched.add(id)
    return touched
  }

  offset(id: string): { dx: number; dy: number; color: string } | undefined {
    return this.offsets.get(id)
  }

  size(id: string): { w: number; h: number } | undefined {
    return this.sizes.get(id)
  }

  editor(id: string): { name: string; color: string } | undefined {
    return this.editors.get(id)
  }
}
