/** Undo and redo of this person's own changes (Y.UndoManager tracking only the LOCAL origin): an undo never takes back what someone else wrote. */
import * as Y from 'yjs'
import { LOCAL, type NotesModel } from './model'

// Keystrokes closer together than this are undone as one step, like a word in a text editor.
const CAPTURE_MS = 600

export class Undo {
  private manager: Y.UndoManager | null = null
  private readonly listeners = new Set<() => void>()

  /** Follows the notes document (it is replaced after a resync: the old history goes with it). */
  bind(model: NotesModel): void {
    this.manager?.destroy()
    this.manager = new Y.UndoManager(model.map, { trackedOrigins: new Set([LOCAL]), captureTimeout: CAPTURE_MS })
    const emit = (): void => this.listeners.forEach((listener) => listener())
    this.manager.on('stack-item-added', emit)
    this.manager.on('stack-item-popped', emit)
    this.manager.on('stack-cleared', emit)
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
    this.listeners.clear()
  }
}
