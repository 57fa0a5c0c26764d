/** The board screen: one board session, the views around it (canvas, list, phone form, bars and panels), laid out, then started. */
import { bindText } from '../../i18n'
import { errorKey } from '../../i18n/error-words'
import { BoardCanvas } from '../../board/canvas'
import { h } from '../../lib/dom'
import { BoardSession } from '../../session/board-session'
import { Role } from '../../sync/protocol'
import { ExportMenu } from '../exports/export-menu'
import { Toasts } from '../widgets/toasts'
import { connectCanvas } from './canvas-session'
import { showChanges } from './change-notices'
import { FacilitationStrip } from './facilitation/facilitation-strip'
import { FacilitatorPanel } from './facilitation/facilitator-panel'
import { HistoryPanel } from './history-panel'
import { SearchBar } from './search-bar'
import { Minimap } from './minimap'
import { selectionTools } from './selection-tools'
import { showShortcuts } from './shortcuts-dialog'
import { ShareSidePanel } from './facilitation/share-side-panel'
import { type SubmitIdea, type SubmitPhoto, ideaForm } from './idea-form'
import { ListView } from './list-view'
import { LegendEditor } from './legend'
import { LockControls } from './lock-controls'
import { emptyHint } from './empty-hint'
import { askName } from './name-dialog'
import { PhoneScreen } from './phone-screen'
import { GroupControls } from './group-controls'
import { Toolbar } from './toolbar'
import { topBar } from './top-bar'
import { TalkControls } from './talk-controls'
import { TrashPanel } from './trash-panel'
import { ViewFit } from './view-fit'
import { ViewModes } from './view-modes'

export function mountBoard(root: HTMLElement, boardId: string, token: string): void {
  const session = new BoardSession(boardId, token)
  const toasts = new Toasts()
  const canvas = new BoardCanvas()
  const clipboard = connectCanvas(canvas, session)
  const loading = h('div', { class: 'loading' }, [h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), bindText(h('span'), 'board.loading')])
  session.on('ready', () => {
    loading.hidden = true
  })
  const toolbar = new Toolbar(session, canvas, () => fit.fitAll())
  const lock = new LockControls(session)
  const legend = new LegendEditor(session)
  const panel = new FacilitatorPanel(session, toasts, legend.button)
  const history = new HistoryPanel(session, toasts)
  toolbar.facilitator.append(lock.button, panel.button, history.button)
  const trash = new TrashPanel(session, toasts)
  const exportMenu = new ExportMenu(boardId, token, toasts)
  const groups = new GroupControls(session, canvas, toasts)
  toolbar.el.append(h('div', { class: 'toolbar__group' }, [trash.button]), exportMenu.el)
  session.on('access', () => exportMenu.setRole(session.role))

  const submitIdea: SubmitIdea = (text, color, zoneId, draft) => session.commands.addIdea(text, color, zoneId, draft)
  const submitPhoto: SubmitPhoto = async (file, caption, color, zoneId) =>
    (await session.commands.addImageNote(file, { zoneId }, caption, color)) !== null
  // The lock's grace over, the phone's form gives way to the board as the lock did to others.
  const phone = new PhoneScreen(ideaForm(session, 'phone', submitIdea, () => modes.set(modes.current, false), submitPhoto), () => modes.set('board'))
  const listView = new ListView(session, ideaForm(session, 'list', submitIdea, undefined, submitPhoto))
  const modes = new ViewModes(session, canvas, listView, phone, toolbar)
  // On a phone, "Ajouter une idée" is the toolbar's first button: one bar, not a bar and a button.
  toolbar.el.prepend(modes.addButton)
  const search = new SearchBar(session, { setSearch: (found) => canvas.setSearch(found), showFound: (id) => {
    canvas.flush()
    canvas.centreOn(id)
  } }, showShortcuts)
  listView.addAboveNotes(new SearchBar(session, listView, showShortcuts, 'list').el)
  const minimap = new Minimap(session, canvas)
  const fit = new ViewFit(session, canvas, [toolbar.el], () => modes.openPhoneIfSmall())
  const strip = new FacilitationStrip(session, canvas, toasts, () => modes.set('list'))
  // After the strip: its marks on a note (votes) come first.
  const talk = new TalkControls(session, canvas)
  listView.openThread = (noteId, from) => talk.panel.open(noteId, from)
  const share = new ShareSidePanel(session, toasts)
  const fatal = h('div', { class: 'fatal', attrs: { hidden: true, role: 'alert' } })
  // Inside the canvas: shown and hidden with it, under the bars.
  // The search and the overview float over the board's top corners (the toolbar holds on one line).
  const corner = h('div', { class: 'board-corner' }, [search.el, selectionTools(session, canvas, () => clipboard.duplicate(), [groups.button])])
  canvas.el.append(emptyHint(session, canvas), corner, minimap.el)

  const screen = h('div', { class: 'board-screen' }, [
    bindText(h('a', { class: 'skip-link', attrs: { href: '#main' } }), 'board.skip'),
    topBar(session, modes.tabs, share.button, () => promptName()),
    lock.banner,
    strip.el,
    // Before the board in the tab order (it floats over it): Tab reached it after every note.
    toolbar.el,
    h('main', { class: 'board-main', attrs: { id: 'main' } }, [canvas.el, listView.el, phone.el, loading, fatal]),
    share.el,
    panel.el,
    history.el,
    trash.el,
    talk.panel.el,
    toasts.el,
  ])
  root.replaceChildren(screen)

  function promptName(): void {
    screen.append(askName(session.name, (chosen) => {
      session.rename(chosen)
      canvas.el.focus()
    }))
  }

  showChanges(session, toasts)
  session.on('nameWanted', promptName)
  session.on('access', () => {
    screen.classList.toggle('is-projector', session.role === Role.OBSERVER)
    screen.classList.toggle('is-read-only', !session.canWrite())
  })
  session.on('failure', ({ code }) => {
    fatal.hidden = session.role !== null && !['board_not_found', 'unauthorized'].includes(code)
    fatal.replaceChildren(
      bindText(h('h2', {}), 'board.cannotOpen'),
      bindText(h('p', {}), errorKey(code)),
      bindText(h('a', { class: 'button button--primary', attrs: { href: '/' } }), 'board.backHome'),
    )
    if (!fatal.hidden) loading.hidden = true
  })
  // Undo and redo anywhere on the board view, a note's own editor included.
  screen.addEventListener('keydown', (event) => {
    const mod = event.ctrlKey || event.metaKey
    if (!mod || modes.current !== 'board') return
    const target = event.target as HTMLElement
    const inField = target.closest('input, select, textarea') !== null && !target.classList.contains('note__editor')
    if (inField) return
    const key = event.key.toLowerCase()
    if (key === 'z' || key === 'y') {
      event.preventDefault()
      if (key === 'y' || event.shiftKey) session.commands.redo()
      else session.commands.undo()
    }
  })
  canvas.on('helpRequest', showShortcuts)
  session.start()
}
