/** Presence (y-protocols awareness on the `notes` document, docs/protocol.md section 4): who is here, cursors, live drags. */
// Sent on the volatile path and throttled, so that a full room moving their mice floods no one;
// others' states are forgotten, not removed, when the connection drops.
import * as awarenessProtocol from 'y-protocols/awareness'
import type * as Y from 'yjs'
import type { ConnectionStatus, FrameChannel } from './connection'
import { REMOTE } from './doc-sync'
import { awarenessFrame } from './frames'
import { DocName } from './protocol'

export interface DragPresence {
  /** Notes being moved, and by how much (board units) since the drag began. */
  ids: string[]
  dx: number
  dy: number
}

export interface ResizePresence {
  id: string
  w: number
  h: number
}

export interface PresenceState {
  participantId: string
  name: string
  color: string
  role: string
  cursor: [number, number] | null
  drag: DragPresence | null
  resize: ResizePresence | null
  editing: string | null
  /** A facilitator's view, for "follow me": board centre and zoom (docs/protocol.md section 7.3). */
  viewport?: [number, number, number] | null
  /** The same facilitator's view as the board rectangle they see, [x, y, width, height] (section 7.3): a phone shows that area, not that zoom. */
  viewArea?: [number, number, number, number] | null
}

// A live move of more notes than this is not worth its bytes (limits.maxPresenceBytes): the
// others see those notes jump at the drop instead.
export const MAX_DRAG_IDS = 150

// The send interval grows with the number of people, so that each person's share of everyone's
// inbox stays about constant however many are here.
const MIN_INTERVAL_MS = 100
const PER_PERSON_MS = 7
const MAX_INTERVAL_MS = 1_500

export function sendInterval(others: number): number {
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, others * PER_PERSON_MS))
}

export class Presence {
  awareness: awarenessProtocol.Awareness
  /** What we want the others to see; null until the person has a name (or never, for observers). */
  private local: PresenceState | null = null
  private dirty = false
  private lastSent = 0
  /** The state last sent showed a drag, a resize or an edit in progress. */
  private sentGesture = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly listeners = new Set<() => void>()
  private readonly offStatus: () => void

  constructor(private readonly channel: FrameChannel, doc: Y.Doc, private readonly now = () => Date.now()) {
    this.awareness = this.newAwareness(doc)
    this.offStatus = channel.onStatus((status) => this.onStatus(status))
  }

  /** Others' states, by awareness client id (ours excluded; states without a name skipped). */
  others(): Map<number, PresenceState> {
    const result = new Map<number, PresenceState>()
    for (const [id, state] of this.awareness.getStates()) {
      if (id === this.awareness.clientID) continue
      if (isPresenceState(state)) result.set(id, state)
    }
    return result
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Set (or clear) our identity; sent at once. */
  setIdentity(identity: Pick<PresenceState, 'participantId' | 'name' | 'color' | 'role'> | null): void {
    this.local = identity === null
      ? null
      : { cursor: null, drag: null, resize: null, editing: null, ...this.local, ...identity }
    this.flush()
  }

  /** Cursor, drags, resizes and editing marks go out at most once per send interval. */
  update(fields: Partial<Pick<PresenceState, 'cursor' | 'drag' | 'resize' | 'editing' | 'viewport' | 'viewArea'>>): void {
    if (this.local === null) return
    if (fields.drag && fields.drag.ids.length > MAX_DRAG_IDS) fields = { ...fields, drag: null }
    this.local = { ...this.local, ...fields }
    this.dirty = true
    this.schedule()
  }

  /** Send now, e.g. at a drop, so the live position and the written one arrive together. */
  flush(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.dirty = false
    this.lastSent = this.now()
    this.awareness.setLocalState(this.local)
  }

  /** Apply an awareness frame from the server. */
  apply(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE)
  }

  /** The notes document was replaced (resync): its new client id announces the same state. */
  rebind(doc: Y.Doc): void {
    if (this.awareness.getLocalState() !== null) this.awareness.setLocalState(null) // goodbye
    this.awareness.destroy()
    this.awareness = this.newAwareness(doc)
    this.awareness.setLocalState(this.local)
    this.emit()
  }

  /** Leaving the page: tell the others now rather than when the server notices. */
  leave(): void {
    clearTimeout(this.timer)
    if (this.awareness.getLocalState() !== null) this.awareness.setLocalState(null)
  }

  destroy(): void {
    clearTimeout(this.timer)
    this.offStatus()
    this.awareness.destroy()
    this.listeners.clear()
  }

  private newAwareness(doc: Y.Doc): awarenessProtocol.Awareness {
    const awareness = new awarenessProtocol.Awareness(doc)
    awareness.setLocalState(null) // nobody until setIdentity
    awareness.on('update', (changes: AwarenessChanges, origin: unknown) => {
      const mine = [...changes.added, ...changes.updated, ...changes.removed].includes(awareness.clientID)
      if (origin !== REMOTE && mine) {
        const frame = awarenessFrame(awareness, [awareness.clientID])
        const gesture = hasGesture(awareness.getLocalState())
        // The end of a drag, resize or edit must arrive, or the others keep drawing the note moved
        // (or being edited) until this person's next presence: the volatile path drops a frame
        // while the socket is busy, as it is right after the drop's write.
        if (this.sentGesture && !gesture && this.channel.online) void this.channel.send(DocName.NOTES, frame)
        else this.channel.sendVolatile(DocName.NOTES, frame)
        this.sentGesture = gesture
      }
    })
    awareness.on('change', () => this.emit())
    return awareness
  }

  private schedule(): void {
    if (this.timer !== undefined) return
    const wait = Math.max(0, this.lastSent + sendInterval(this.others().size) - this.now())
    this.timer = setTimeout(() => {
      this.timer = undefined
      if (this.dirty) this.flush()
    }, wait)
  }

  private onStatus(status: ConnectionStatus): void {
    if (status.kind === 'online') {
      // The server removed our presence when we left: announce it again (a new clock value).
      if (this.local !== null) this.flush()
      return
    }
    this.forgetOthers()
  }

  /**
   * Forget the others' states and clocks without removeAwarenessStates(): that would bump our copy
   * of each clock, and y-protocols would then ignore the states the server sends on reconnection
   * as old until each person renews theirs (up to 15 s later).
   */
  private forgetOthers(): void {
    const awareness = this.awareness
    const others = [...awareness.getStates().keys()].filter((id) => id !== awareness.clientID)
    if (others.length === 0) return
    for (const id of others) {
      awareness.states.delete(id)
      awareness.meta.delete(id)
    }
    const changes = { added: [], updated: [], removed: others }
    awareness.emit('change', [changes, REMOTE])
  }

  private emit(): void {
    for (const listener of this.listeners) listener()
  }
}

interface AwarenessChanges {
  added: number[]
  updated: number[]
  removed: number[]
}

function isPresenceState(state: unknown): state is PresenceState {
  if (typeof state !== 'object' || state === null) return false
  const { name, participantId } = state as { name?: unknown; participantId?: unknown }
  return typeof name === 'string' && typeof participantId === 'string'
}

function hasGesture(state: Record<string, unknown> | null): boolean {
  return state !== null && (Boolean(state.drag) || Boolean(state.resize) || Boolean(state.editing))
}
