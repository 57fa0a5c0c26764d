/** Reactions and comments on a note as this person sees them, for the canvas and the list view: the reaction chips (toggling one's own), the emoji picker, and the button that opens the note's thread. */
import { bindAttr, t } from '../../i18n'
import type { NoteData } from '../../board/model'
import { REACTIONS } from '../../board/reactions'
import { h } from '../../lib/dom'
import type { BoardSession } from '../../session/board-session'
import type { ReactionValue } from '../../sync/protocol'

/** Opens the thread of a note (the comments panel); `from` gets the focus back when it closes. */
export type OpenThread = (noteId: string, from: HTMLElement) => void

/** The emoji's name, for screen readers and tooltips. */
export function reactionName(emoji: ReactionValue): string {
  return t(`reaction.${REACTIONS.indexOf(emoji)}` as 'reaction.0')
}

/**
 * Fills `box` with a note's reactions and comment count; returns false when there is nothing to
 * show (a private note; nothing yet and this person may not write). `named` (the list view) puts
 * the note's text in the buttons' names. Repainting is skipped while nothing shown changed.
 */
export function fillTalkBox(box: HTMLElement, session: BoardSession, data: NoteData, open: OpenThread, named: string | null): boolean {
  const reactions = data.private ? [] : session.talk.reactionsOf(data.id, session.participantId)
  const comments = data.private ? 0 : session.talk.commentsOf(data.id).length
  const canWrite = !data.private && session.canWrite()
  if (data.private || (!canWrite && reactions.length === 0 && comments === 0)) {
    box.replaceChildren()
    delete box.dataset.signature
    return false
  }
  const picking = box.querySelector('.note__reaction-picker') !== null
  const signature = JSON.stringify([reactions, comments, canWrite, named, picking, document.documentElement.lang])
  if (box.dataset.signature === signature) return true
  box.dataset.signature = signature
  const parts: HTMLElement[] = reactions.map(({ emoji, count, mine }) => {
    const label = t(mine ? 'reaction.countMine' : 'reaction.count', { emoji: reactionName(emoji), count })
    const chip = canWrite
      ? h('button', { class: 'note__reaction', attrs: { type: 'button', 'aria-pressed': String(mine), 'data-reaction': emoji }, on: { click: () => session.talk.toggle(data.id, emoji, session.participantId) } })
      : h('span', { class: 'note__reaction', attrs: { 'data-reaction': emoji } })
    chip.append(h('span', { attrs: { 'aria-hidden': 'true' }, text: emoji }), h('span', { class: 'note__reaction-count', text: String(count) }))
    chip.setAttribute('aria-label', named === null ? label : `${label} — ${named}`)
    chip.title = label
    return chip
  })
  if (canWrite) {
    const add = h('button', { class: 'note__talk-button', attrs: { type: 'button', 'aria-expanded': String(picking), 'data-talk': 'react' }, text: '☺+' })
    bindAttr(add, 'aria-label', named === null ? 'reaction.add' : 'reaction.addNamed', { text: named ?? '' })
    bindAttr(add, 'title', 'reaction.add')
    add.addEventListener('click', () => togglePicker(box, add, session, data))
    parts.push(add)
  }
  const thread = h('button', { class: 'note__talk-button', attrs: { type: 'button', 'data-talk': 'comments', 'data-comments': comments } })
  thread.append(h('span', { attrs: { 'aria-hidden': 'true' }, text: '💬' }), ...(comments > 0 ? [h('span', { class: 'note__reaction-count', text: String(comments) })] : []))
  bindAttr(thread, 'aria-label', named === null ? 'comment.open' : 'comment.openNamed', { count: comments, text: named ?? '' })
  bindAttr(thread, 'title', 'comment.open', { count: comments })
  thread.addEventListener('click', () => open(data.id, thread))
  parts.push(thread)
  const picker = box.querySelector('.note__reaction-picker')
  box.replaceChildren(...parts, ...(picker ? [picker] : []))
  return true
}

/** The six emoji as buttons, under the "☺+" button; one click reacts (or takes it back) and closes it. */
function togglePicker(box: HTMLElement, opener: HTMLButtonElement, session: BoardSession, data: NoteData): void {
  const open = box.querySelector<HTMLElement>('.note__reaction-picker')
  if (open) {
    open.remove()
    opener.setAttribute('aria-expanded', 'false')
    return
  }
  const mine = new Set(session.talk.reactionsOf(data.id, session.participantId).filter((r) => r.mine).map((r) => r.emoji))
  const close = (): void => {
    picker.remove()
    opener.setAttribute('aria-expanded', 'false')
    delete box.dataset.signature
    opener.focus()
  }
  const picker = h('div', { class: 'note__reaction-picker', attrs: { role: 'group' } })
  bindAttr(picker, 'aria-label', 'reaction.pick')
  for (const emoji of REACTIONS) {
    const choice = h('button', { class: 'note__reaction-choice', attrs: { type: 'button', 'aria-pressed': String(mine.has(emoji)), 'data-choice': emoji }, text: emoji })
    choice.setAttribute('aria-label', reactionName(emoji))
    choice.title = reactionName(emoji)
    choice.addEventListener('click', () => {
      close()
      session.talk.toggle(data.id, emoji, session.participantId)
    })
    picker.append(choice)
  }
  picker.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      close()
    }
  })
  opener.setAttribute('aria-expanded', 'true')
  box.append(picker)
  picker.querySelector('button')?.focus()
}

/** A short label of a note's text, for buttons' names and the thread's heading. */
export function noteExcerpt(text: string): string {
  const clean = text.trim().replace(/\s+/g, ' ')
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean || '—'
}
