/** Entry point: picks the language, then the screen for the address (home, join link, board). */
import './styles.css'
import { initLocale, t } from './i18n'
import { mountBoard } from './screens/board/board-screen'
import { h } from './lib/dom'
import { mountHome } from './screens/home/home-screen'
import { mountJoin } from './screens/join-screen'
import { mountWorkshop } from './screens/workshop-screen'
import { workshopPath } from './api/workshops'
import { myBoard } from './lib/storage'

initLocale()
const root = document.getElementById('app') as HTMLElement

function tokenFromHash(): string {
  // The token rides in the fragment, which browsers never send to the server (no secret in logs).
  return new URLSearchParams(location.hash.slice(1)).get('token') ?? ''
}

function openBoard(boardId: string, token: string): void {
  history.replaceState(null, '', `/b/${boardId}#token=${encodeURIComponent(token)}`)
  mountBoard(root, boardId, token)
}

function route(): void {
  const path = location.pathname
  const board = /^\/b\/([A-Za-z0-9_-]+)\/?$/.exec(path)
  const joinCode = /^\/j\/([^/]+)\/?$/.exec(path)
  const workshop = /^\/w\/([A-Za-z0-9_-]+)\/?$/.exec(path)
  if (workshop?.[1]) {
    mountWorkshop(root, workshop[1], tokenFromHash())
  } else if (board?.[1]) {
    const boardId = board[1]
    // A facilitator's own board opens from "Mes tableaux" even when the link lost its fragment.
    const token = tokenFromHash() || myBoard(boardId)?.tokens.facilitator || ''
    if (!token) {
      root.replaceChildren(h('main', { class: 'fatal fatal--page', attrs: { role: 'alert' } }, [
        h('h1', { text: t('board.cannotOpen') }),
        h('p', { text: t('board.noToken') }),
        h('a', { class: 'button button--primary', attrs: { href: '/' }, text: t('board.backHome') }),
      ]))
      return
    }
    mountBoard(root, boardId, token)
  } else if (joinCode?.[1]) {
    mountJoin(root, decodeURIComponent(joinCode[1]), openBoard, (workshopId, token) => {
      history.replaceState(null, '', workshopPath(workshopId, token))
      route()
    })
  } else {
    mountHome(root, (next) => {
      history.pushState(null, '', next)
      route()
    })
  }
}

addEventListener('popstate', route)
route()
