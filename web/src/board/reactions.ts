/** Reactions and comments on notes, in the notes document (docs/board-schema.md, roots `reactions` and `comments`): reading, toggling one's own reaction, commenting, deleting, and the facilitator's clearing. */
// Each reaction is its own key of a root map (`noteId/emoji/participantId` -> true): two people
// reacting at once never race to create a nested map, and "one of each per person" holds by
// construction. These writes are no undo steps (TALKING, not LOCAL): Ctrl+Z undoes the notes.
import * as Y from 'yjs'
import { Reaction, type ReactionValue } from '../sync/protocol'
import { newId } from './model'

/** Origin of this person's reaction and comment writes: sent like any local change, not tracked by undo. */
export const TALKING = Symbol('talking')

/** The emoji, in the order every view shows them. */
export const REACTIONS: readonly ReactionValue[] = Object.values(Reaction)

/** The server refuses longer comments, and more per note (docs/protocol.md section 4, "Judging notes"). */
export const MAX_COMMENT_CHARS = 500
export const MAX_COMMENTS_PER_NOTE = 50

export interface CommentData {
  id: string
  noteId: string
  authorId: string
  author: string
  text: string
  createdAt: number
}

export interface ReactionCount {
  emoji: ReactionValue
  count: number
  /** This person reacted with it. */
  mine: boolean
}

const SEPARATOR = '/'
const str = (value: unknown): string => (typeof value === 'string' ? value : '')

export function reactionKey(noteId: string, emoji: string, participantId: string): string {
  return [noteId, emoji, participantId].join(SEPARATOR)
}

function parseKey(key: string): { noteId: string; emoji: ReactionValue; participantId: string } | null {
  const parts = key.split(SEPARATOR)
  if (parts.length !== 3 || !parts[0] || !parts[2] || !(REACTIONS as readonly string[]).includes(parts[1] ?? '')) return null
  return { noteId: parts[0], emoji: parts[1] as ReactionValue, participantId: parts[2] }
}

export class TalkModel {
  readonly reactions: Y.Map<unknown>
  readonly comments: Y.Map<Y.Map<unknown>>
  // Read per note at every paint of every note: indexed by note once per change, not scanned.
  private reactionIndex: Map<string, Map<ReactionValue, string[]>> | null = null
  private commentIndex: Map<string, CommentData[]> | null = null

  /** `doc`: the shared notes document (never a private one: the server refuses them there). */
  constructor(readonly doc: Y.Doc) {
    this.reactions = doc.getMap('reactions')
    this.comments = doc.getMap('comments') as Y.Map<Y.Map<unknown>>
    // Shallow observers, registered first: Yjs calls a type's shallow observers in order, before any
    // deep one, so the index is dropped before a listener of `observe` reads it. A comment is
    // written whole with its key and never changed: its key's event is enough.
    this.reactions.observe(() => {
      this.reactionIndex = null
    })
    this.comments.observe(() => {
      this.commentIndex = null
    })
  }

  /** A note's reactions with a count, in the fixed order; `me`: this person's participant id. */
  reactionsOf(noteId: string, me: string): ReactionCount[] {
    const byEmoji = this.indexReactions().get(noteId)
    if (!byEmoji) return []
    return REACTIONS.flatMap((emoji) => {
      const who = byEmoji.get(emoji)
      return who ? [{ emoji, count: who.length, mine: who.includes(me) }] : []
    })
  }

  /** A note's comments, oldest first. */
  commentsOf(noteId: string): CommentData[] {
    return [...(this.indexComments().get(noteId) ?? [])]
  }

  private indexReactions(): Map<string, Map<ReactionValue, string[]>> {
    if (this.reactionIndex) return this.reactionIndex
    const index = new Map<string, Map<ReactionValue, string[]>>()
    for (const [key, value] of this.reactions.entries()) {
      const parsed = value === true ? parseKey(key) : null
      if (!parsed) continue
      let byEmoji = index.get(parsed.noteId)
      if (!byEmoji) index.set(parsed.noteId, (byEmoji = new Map()))
      const who = byEmoji.get(parsed.emoji)
      if (who) who.push(parsed.participantId)
      else byEmoji.set(parsed.emoji, [parsed.participantId])
    }
    this.reactionIndex = index
    return index
  }

  private indexComments(): Map<string, CommentData[]> {
    if (this.commentIndex) return this.commentIndex
    const index = new Map<string, CommentData[]>()
    for (const [id, comment] of this.comments.entries()) {
      if (!(comment instanceof Y.Map)) continue
      const noteId = comment.get('noteId')
      const text = str(comment.get('text'))
      if (typeof noteId !== 'string' || !text.trim()) continue
      const createdAt = comment.get('createdAt')
      const list = index.get(noteId) ?? []
      list.push({
        id,
        noteId,
        authorId: str(comment.get('authorId')),
        author: str(comment.get('author')),
        text,
        createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : 0,
      })
      index.set(noteId, list)
    }
    for (const list of index.values()) list.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
    this.commentIndex = index
    return index
  }

  /** Adds this person's reaction, or takes it back when they had it. */
  toggle(noteId: string, emoji: ReactionValue, me: string): void {
    const key = reactionKey(noteId, emoji, me)
    this.doc.transact(() => {
      if (this.reactions.get(key) === true) this.reactions.delete(key)
      else this.reactions.set(key, true)
    }, TALKING)
  }

  /** A new comment in this person's name; its id. The text is cut to MAX_COMMENT_CHARS. */
  comment(noteId: string, text: string, author: { participantId: string; name: string }, createdAt: number): string {
    let id = newId()
    while (this.comments.has(id)) id = newId()
    this.doc.transact(() => {
      const comment = new Y.Map<unknown>()
      this.comments.set(id, comment)
      comment.set('noteId', noteId)
      comment.set('authorId', author.participantId)
      comment.set('author', author.name.slice(0, 80))
      comment.set('text', text.slice(0, MAX_COMMENT_CHARS))
      comment.set('createdAt', createdAt)
    }, TALKING)
    return id
  }

  deleteComment(id: string): void {
    if (this.comments.has(id)) this.doc.transact(() => this.comments.delete(id), TALKING)
  }

  /** The facilitator's "Effacer": every reaction and comment of a note, in one update. */
  clear(noteId: string): void {
    this.doc.transact(() => {
      for (const key of [...this.reactions.keys()]) if (parseKey(key)?.noteId === noteId) this.reactions.delete(key)
      for (const comment of this.commentsOf(noteId)) this.comments.delete(comment.id)
    }, TALKING)
  }

  /** Calls back with the ids of the notes whose reactions or comments changed. */
  observe(listener: (noteIds: Set<string>) => void): () => void {
    const onReactions = (event: Y.YMapEvent<unknown>): void => {
      const ids = new Set<string>()
      for (const key of event.keysChanged) {
        const parsed = parseKey(key)
        if (parsed) ids.add(parsed.noteId)
      }
      if (ids.size > 0) listener(ids)
    }
    // A deleted comment's values are gone: which note it was on is remembered from before.
    const noteOf = new Map<string, string>()
    const remember = (id: string): void => {
      const noteId = this.comments.get(id)?.get('noteId')
      if (typeof noteId === 'string') noteOf.set(id, noteId)
    }
    for (const id of this.comments.keys()) remember(id)
    const onComments = (event: Y.YMapEvent<Y.Map<unknown>>): void => {
      const ids = new Set<string>()
      for (const key of event.keysChanged) {
        const before = noteOf.get(key)
        if (before !== undefined) ids.add(before)
        noteOf.delete(key)
        remember(key)
        const after = noteOf.get(key)
        if (after !== undefined) ids.add(after)
      }
      if (ids.size > 0) listener(ids)
    }
    this.reactions.observe(onReactions)
    this.comments.observe(onComments)
    return () => {
      this.reactions.unobserve(onReactions)
      this.comments.unobserve(onComments)
    }
  }
}
