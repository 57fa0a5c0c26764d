/** The notes a person sees during a private writing phase: the shared board and their own private notes, as one NotesModel. */
// The private document is the one of docs/protocol.md section 7.2. The canvas, the list and the
// session use this model like any other; new notes go to the private document while `toPrivate()`.
import type * as Y from 'yjs'
import type { Rect } from './geometry'
import { type NewNote, type NoteData, NotesModel } from './model'

export class MergedNotes extends NotesModel {
  constructor(doc: Y.Doc, readonly own: NotesModel, private readonly toPrivate: () => boolean) {
    super(doc)
  }

  private isOwn(id: string): boolean {
    return !this.map.has(id) && this.own.map.has(id)
  }

  override ids(): string[] {
    return [...super.ids(), ...this.own.ids().filter((id) => !this.map.has(id))]
  }

  override get(id: string): NoteData | null {
    const shared = super.get(id)
    if (shared) return shared
    const own = this.own.get(id)
    return own ? { ...own, private: true } : null
  }

  override all(): NoteData[] {
    const notes: NoteData[] = []
    for (const id of this.ids()) {
      const note = this.get(id)
      if (note) notes.push(note)
    }
    return notes
  }

  override text(id: string): Y.Text | null {
    return super.text(id) ?? this.own.text(id)
  }

  override create(note: NewNote, id?: string): string {
    return this.toPrivate() ? this.own.create(note, id) : super.create(note, id)
  }

  override setRects(rects: ReadonlyMap<string, Rect>, origin?: unknown): void {
    const [own, shared] = this.split(rects.keys())
    if (shared.length) super.setRects(new Map(shared.map((id) => [id, rects.get(id) as Rect])), origin)
    if (own.length) this.own.setRects(new Map(own.map((id) => [id, rects.get(id) as Rect])), origin)
  }

  override setColor(ids: Iterable<string>, color: NoteData['color']): void {
    const [own, shared] = this.split(ids)
    if (shared.length) super.setColor(shared, color)
    if (own.length) this.own.setColor(own, color)
  }

  override delete(ids: Iterable<string>, origin?: unknown): void {
    const [own, shared] = this.split(ids)
    if (shared.length) super.delete(shared, origin)
    if (own.length) this.own.delete(own, origin)
  }

  override observe(listener: (ids: Set<string>, transaction: Y.Transaction) => void): () => void {
    const offShared = super.observe(listener)
    const offOwn = this.own.observe(listener)
    return () => {
      offShared()
      offOwn()
    }
  }

  private split(ids: Iterable<string>): [string[], string[]] {
    const own: string[] = []
    const shared: string[] = []
    for (const id of ids) (this.isOwn(id) ? own : shared).push(id)
    return [own, shared]
  }
}
