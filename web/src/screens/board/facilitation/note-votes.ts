/** One note's votes as this person sees them: the count, their own votes, and the buttons to vote; for the canvas and the list view. */
import { bindAttr, bindText } from '../../../i18n'
import type { NoteData } from '../../../board/model'
import { h } from '../../../lib/dom'
import type { BoardSession } from '../../../session/board-session'

export type Cast = (noteId: string, delta: 1 | -1) => void

/**
 * Fills `box` with the note's votes; returns false when there is nothing to show. `named` (the
 * list view) puts the note's text in the buttons' names, as a screen reader reads them in a list.
 * Repainting is skipped while nothing shown changed.
 */
/** `theme`: the box is a theme's (the list view), its buttons' names say so. */
export function fillVoteBox(box: HTMLElement, session: BoardSession, data: NoteData, cast: Cast, named: string | null, theme = false): boolean {
  const votes = session.votes
  const canVote = votes.canVote(session.role) && !data.private
  const count = data.private ? null : votes.count(data.id)
  const mine = votes.myVotes(data.id)
  if (!canVote && count === null) {
    box.replaceChildren()
    delete box.dataset.signature
    return false
  }
  const signature = `${canVote}|${count}|${mine}|${votes.remaining}|${named}|${document.documentElement.lang}`
  if (box.dataset.signature === signature) return true
  box.dataset.signature = signature
  const parts: HTMLElement[] = []
  if (count !== null) {
    const badge = h('span', { class: 'note__vote-count', attrs: { 'data-votes': count } })
    if (named === null) {
      badge.textContent = String(count)
      bindAttr(badge, 'aria-label', 'vote.count', { count })
      bindAttr(badge, 'title', 'vote.count', { count })
    } else {
      bindText(badge, 'vote.count', { count })
    }
    parts.push(badge)
  }
  if (canVote) {
    if (mine > 0) {
      const remove = h('button', { class: 'note__vote-button note__vote-button--remove', attrs: { type: 'button', 'data-unvote': data.id }, text: '−', on: { click: () => cast(data.id, -1) } })
      if (named === null) bindAttr(remove, 'aria-label', 'vote.remove')
      else bindAttr(remove, 'aria-label', theme ? 'vote.removeThemeNamed' : 'vote.removeNamed', { text: named })
      bindAttr(remove, 'title', 'vote.remove')
      parts.push(remove)
      const dots = h('span', { class: 'note__my-votes', attrs: { 'data-mine': mine }, text: '●'.repeat(Math.min(mine, 10)) })
      bindAttr(dots, 'aria-label', 'vote.mine', { count: mine })
      bindAttr(dots, 'title', 'vote.mine', { count: mine })
      parts.push(dots)
    }
    const add = h('button', { class: 'note__vote-button', attrs: { type: 'button', 'data-vote': data.id }, text: '+', on: { click: () => cast(data.id, 1) } })
    if (named === null) bindAttr(add, 'aria-label', 'vote.add')
    else bindAttr(add, 'aria-label', theme ? 'vote.addThemeNamed' : 'vote.addNamed', { text: named })
    bindAttr(add, 'title', 'vote.add')
    parts.push(add)
  }
  box.replaceChildren(...parts)
  return true
}
