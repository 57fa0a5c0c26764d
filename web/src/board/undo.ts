/** Undo and redo of this person's own changes (Y.UndoManager tracking only the LOCAL origin): an undo never takes back what someone else wrote. */
import * as Y from 'yjs'
import { LOCAL, type NotesModel } from './model'

// Keystrokes closer together than this are undone as one step, like a word in a text editor.
const CAPTURE_MS = 600

/** What a step's own transaction did to a note: undoing the step does the opposite. */
export type StepKind = 'created' | 'changed' | 'deleted'

/** One note a step touched, and who wrote it (authorship is fixed once written). */
export interface StepNote {
  kind: StepKind
  authorId: string
}

/** The notes one undo or redo step touches, by id. */
export type Step = ReadonlyMap<string, StepNote>

export type Direction = 'undo' | 'redo'

// The key of a step's notes in Y.UndoManager's per-step `meta` map.
const STEP_NOTES = 'ardoise.notes'

export class Undo {
  private manager: Y.UndoManager | null = null
  private offObserve: (() => void) | null = null
  private readonly listeners = new Set<() => void>()

  /** Follows the notes document (it is replaced after a resync: the old history goes with it). */
  bind(model: NotesModel): void {
    this.manager?.destroy()
    this.offObserve?.()
    const manager = new Y.UndoManager(model.map, { trackedOrigins: new Set([LOCAL]), captureTimeout: CAPTURE_MS })
    this.manager = manager
    this.offObserve = this.recordSteps(model.map, manager)
    const emit = (): void => this.emit()
    manager.on('stack-item-added', emit)
    manager.on('stack-item-popped', emit)
    manager.on('stack-cleared', emit)
    emit()
  }

  get canUndo(): boolean {
    return (this.manager?.undoStack.length ?? 0) > 0
  }

  get canRedo(): boolean {
    return (this.manager?.redoStack.length ?? 0) > 0
  }

  undo(): void {
    this.manager?.undo()
  }

  redo(): void {
    this.manager?.redo()
  }

  /**
   * The notes the next undo (or redo) would touch; null when there is nothing to do. Steps on top
   * that can do nothing any more (every note they touched was deleted since, by someone else) are
   * dropped first, as Y.UndoManager would skip them: the step returned is the one that would run.
   */
  next(direction: Direction, exists: (id: string) => boolean): Step | null {
    const stack = this.stack(direction)
    let dropped = false
    let step: Step | null = null
    while (stack.length > 0) {
      const top = notesOf(stack[stack.length - 1] as Y.UndoManager['undoStack'][number])
      if (top.size === 0 || [...top].some(([id, note]) => note.kind === 'deleted' || exists(id))) {
        step = top
        break
      }
      stack.pop()
      dropped = true
    }
    if (dropped) this.emit()
    return step
  }

  /** Forgets the next undo (or redo) step: one that may not be replayed (a note that is not this person's to change). */
  drop(direction: Direction): void {
    if (this.stack(direction).pop()) this.emit()
  }

  /** Ends the current step: the next change starts a new one. */
  stopCapturing(): void {
    this.manager?.stopCapturing()
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    this.manager?.destroy()
    this.offObserve?.()
    this.listeners.clear()
  }

  private stack(direction: Direction): Y.UndoManager['undoStack'] {
    if (!this.manager) return []
    return direction === 'undo' ? this.manager.undoStack : this.manager.redoStack
  }

  private emit(): void {
    this.listeners.forEach((listener) => listener())
  }

  /**
   * Writes into each step which notes its transactions touched and who wrote them, so that an undo
   * can be checked before it is sent (the server refuses a change to a note its writer may not change).
   */
  private recordSteps(map: Y.Map<Y.Map<unknown>>, manager: Y.UndoManager): () => void {
    // Deep observers run before Y.UndoManager's afterTransaction handler, which adds or updates the step.
    let pending: { parents: Map<unknown, unknown>; notes: Map<string, StepNote> } | null = null
    const observer = (events: Array<Y.YEvent<any>>, transaction: Y.Transaction): void => {
      if (transaction.origin !== LOCAL && transaction.origin !== manager) return
      const notes = new Map<string, StepNote>()
      for (const event of events) {
        if (event.target === map && event instanceof Y.YMapEvent) {
          for (const [id, change] of event.changes.keys) {
            if (change.action === 'delete') notes.set(id, { kind: 'deleted', authorId: deletedAuthor(change.oldValue) })
            else notes.set(id, { kind: change.action === 'add' ? 'created' : 'changed', authorId: liveAuthor(map, id) })
          }
        } else {
          const id = event.path[0]
          if (typeof id === 'string' && !notes.has(id)) notes.set(id, { kind: 'changed', authorId: liveAuthor(map, id) })
        }
      }
      pending = { parents: transaction.changedParentTypes, notes }
    }
    const attach = (event: { stackItem: Y.UndoManager['undoStack'][number]; changedParentTypes: Map<unknown, unknown> }): void => {
      if (!pending || pending.parents !== event.changedParentTypes) return
      const step = notesOf(event.stackItem) as Map<string, StepNote>
      for (const [id, note] of pending.notes) step.set(id, merge(step.get(id), note))
      event.stackItem.meta.set(STEP_NOTES, step)
      pending = null
    }
    map.observeDeep(observer)
    manager.on('stack-item-added', attach)
    manager.on('stack-item-updated', attach)
    return () => map.unobserveDeep(observer)
  }
}

function notesOf(item: Y.UndoManager['undoStack'][number]): Step {
  const notes: unknown = item.meta.get(STEP_NOTES)
  return notes instanceof Map ? (notes as Step) : new Map()
}

/** One step made of several transactions (typing): a note it created stays created, one it deleted stays deleted. */
function merge(before: StepNote | undefined, next: StepNote): StepNote {
  if (!before) return next
  const kind = before.kind === 'created' ? 'created' : next.kind === 'deleted' ? 'deleted' : before.kind
  return { kind, authorId: before.authorId || next.authorId }
}

function liveAuthor(map: Y.Map<Y.Map<unknown>>, id: string): string {
  const note = map.get(id)
  const authorId = note instanceof Y.Map ? note.get('authorId') : undefined
  return typeof authorId === 'string' ? authorId : ''
}

/**
 * The author of a note this transaction deleted. A deleted Y.Map answers `get` with nothing, but
 * its entries are still in memory until the transaction ends (and Y.UndoManager keeps them for the
 * undo): read the `authorId` entry's content directly.
 */
function deletedAuthor(oldValue: unknown): string {
  if (!(oldValue instanceof Y.Map)) return ''
  const item = oldValue._map.get('authorId')
  const value: unknown = item?.content.getContent()[0]
  return typeof value === 'string' ? value : ''
}
