/** `/w/ID#token=…`: a workshop's tables to pick from (and its plenary), each opening its board. */
import { bindText } from '../i18n'
import { type Workshop, type WorkshopBoard, getWorkshop, startRound, workshopBoardPath } from '../api/workshops'
import { h } from '../lib/dom'
import { languageSwitch } from './widgets/language-switch'
import { workshopOverview } from './workshop-overview'

function minutes(ms: number): number {
  return Math.round(ms / 60_000)
}

function tableCard(workshop: Workshop, board: WorkshopBoard, token: string, key: 'workshop.joinTable' | 'workshop.openPlenary'): HTMLElement {
  // Plain text everywhere: a title or question is never markup.
  return h('li', { class: 'workshop__table' }, [
    h('h2', { class: 'workshop__table-title', text: board.title }),
    board.question ? h('p', { class: 'workshop__question', text: board.question }) : h('span', {}),
    bindText(h('a', { class: 'button button--primary', attrs: { href: workshopBoardPath(workshop.id, board.boardId, token), 'data-board': board.boardId } }), key, { title: board.title }),
  ])
}

/** The facilitator's controls of the rounds: start one on every table, locking them at its end if asked. */
function roundControls(workshop: Workshop, token: string): { lock: HTMLElement; start: (index: number) => HTMLElement; status: HTMLElement } {
  const status = h('p', { class: 'workshop__round-status', attrs: { role: 'status' } })
  const lockBox = h('input', { attrs: { type: 'checkbox', id: 'workshop-lock-on-end' } }) as HTMLInputElement
  const lock = h('p', { class: 'field field--inline' }, [lockBox, bindText(h('label', { attrs: { for: lockBox.id } }), 'workshop.lockOnEnd')])
  const start = (index: number): HTMLElement => {
    const round = workshop.rounds[index]
    const button = bindText(h('button', { class: 'button', attrs: { type: 'button' } }), 'workshop.startRound', { label: round?.label ?? '' }) as HTMLButtonElement
    button.addEventListener('click', () => {
      button.disabled = true
      void startRound(workshop.id, index, token, lockBox.checked).then((answer) => {
        button.disabled = false
        if (answer.ok) bindText(status, 'workshop.roundStarted', { label: answer.value.round.label, n: answer.value.tables })
        else bindText(status, 'workshop.roundFailed', { reason: answer.error.message })
      })
    })
    return button
  }
  return { lock, start, status }
}

function show(main: HTMLElement, workshop: Workshop, token: string): void {
  document.title = `${workshop.title} · Ardoise`
  const leads = workshop.role === 'facilitator'
  const controls = leads ? roundControls(workshop, token) : null
  const rounds = workshop.rounds.length
    ? h('section', { class: 'card workshop__rounds' }, [
        bindText(h('h2', {}), 'workshop.rounds'),
        controls ? controls.lock : h('span', {}),
        h('ol', {}, workshop.rounds.map((round, index) => h('li', {}, [
          h('strong', { text: round.label }),
          bindText(h('span', { class: 'workshop__duration' }), 'workshop.minutes', { n: minutes(round.durationMs) }),
          round.prompt ? h('p', { text: round.prompt }) : h('span', {}),
          controls ? controls.start(index) : h('span', {}),
        ]))),
        controls ? controls.status : h('span', {}),
      ])
    : h('span', {})
  main.replaceChildren(
    h('h1', { class: 'workshop__title', text: workshop.title }),
    bindText(h('p', { class: 'workshop__lead' }), 'workshop.pickTable'),
    h('ul', { class: 'workshop__tables', attrs: { 'aria-label': workshop.title } }, workshop.tables.map((table) => tableCard(workshop, table, token, 'workshop.joinTable'))),
    h('ul', { class: 'workshop__tables workshop__tables--plenary' }, [tableCard(workshop, workshop.plenary, token, 'workshop.openPlenary')]),
    rounds,
    leads ? workshopOverview(workshop, token) : h('span', {}),
  )
}

export function mountWorkshop(root: HTMLElement, workshopId: string, token: string): void {
  const main = h('main', { class: 'workshop', attrs: { id: 'main' } }, [bindText(h('p', { attrs: { role: 'status' } }), 'workshop.loading')])
  root.replaceChildren(h('div', { class: 'home-page' }, [
    h('header', { class: 'home-header' }, [h('a', { class: 'brand brand--large', attrs: { href: '/' }, text: 'Ardoise' }), languageSwitch()]),
    main,
  ]))
  void getWorkshop(workshopId, token).then((answer) => {
    if (answer.ok) {
      show(main, answer.value, token)
      return
    }
    const key = answer.status === 404 ? 'workshop.unknown' : answer.status === 401 ? 'workshop.badToken' : answer.status === 0 ? 'join.network' : 'join.failed'
    main.replaceChildren(h('section', { class: 'card', attrs: { role: 'alert' } }, [
      bindText(h('h1', {}), 'workshop.cannotOpen'),
      bindText(h('p', {}), key),
      bindText(h('a', { attrs: { href: '/' } }), 'board.backHome'),
    ]))
  })
}
