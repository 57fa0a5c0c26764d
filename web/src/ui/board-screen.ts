/**
 * The board screen: wires the connection, the two document syncs and presence to the canvas,
 * the list view, the phone screen and the chrome around them (status, people, toolbar, roles).
 */
import type * as Y from 'yjs'
import { type Key, bindAttr, bindText, onLocaleChange, t } from '../i18n'
import { BoardCanvas } from '../board/canvas'
import { NOTE_SIZE, type Rect, placeInZone, placeNear, zoneOf } from '../board/geometry'
import { Interactions } from '../board/interactions'
import { type BoardMeta, NotesModel, type PaletteName, type Zone, isPaletteName, readMeta, readZones, setLocked } from '../board/model'
import { Undo } from '../board/undo'
import { Connection, type ConnectionStatus } from '../sync/connection'
import { DocSync, type SaveState } from '../sync/doc-sync'
import { Presence } from '../sync/presence'
import { DEFAULT_LIMITS, DocName, type Limits, Role, type RoleValue, type WireError } from '../sync/protocol'
import { h } from './dom'
import { ExportMenu } from './export-menu'
import { ideaForm } from './idea-form'
import { languageSwitch } from './language-switch'
import { ListView } from './list-view'
import { askName } from './name-dialog'
import { peerColor } from './people'
import { PhoneScreen } from './phone-screen'
import { PresenceList } from './presence-list'
import { FacilitationUI } from './facilitation'
import { StatusBadge, errorKey } from './status-badge'
import * as storage from './storage'
import { Toasts } from './toast'
import { Toolbar } from './toolbar'

type Mode = 'board' | 'list' | 'phone'

const PHONE_QUERY = '(max-width: 640px)'
// A projector follows the board: after changes settle, fit everything on screen.
const PROJECTOR_FIT_DELAY_MS = 600

export function mountBoard(root: HTMLElement, boardId: string, token: string): void {
  const participantId = storage.participantId()
  let name = storage.displayName()
  const connection = new Connection(location.origin, { board: boardId, token, participant: { id: participantId, name } })
  const toasts = new Toasts()
  const status = new StatusBadge()

  let role: RoleValue | null = null
  let limits: Limits = DEFAULT_LIMITS
  let meta: BoardMeta = { title: '', locked: false, anonymous: false }
  let zones: Zone[] = []
  let color: PaletteName = isPaletteName(storage.noteColor()) ? (storage.noteColor() as PaletteName) : 'yellow'
  let mode: Mode = 'board'
  let clockOffset = 0
  let firstView = true
  let projectorFollow = true
  let projectorTimer: ReturnType<typeof setTimeout> | undefined

  const canWrite = (): boolean => role === Role.FACILITATOR || (role === Role.PARTICIPANT && !meta.locked)
  const isPhone = (): boolean => matchMedia(PHONE_QUERY).matches

  // ---- documents ----------------------------------------------------------------------------
  const onRefused = (error: WireError): void => {
    toasts.show(`${t(refusalKey(error.code))} ${t('refusal.resynced')}`, 'error')
  }
  const layoutSync = new DocSync(connection, DocName.LAYOUT, {
    onRefused,
    onReplaced: (doc) => bindLayout(doc),
    onSynced: () => checkReady(),
    onSaveState: () => refreshStatus(),
  })
  const notesSync = new DocSync(connection, DocName.NOTES, {
    onRefused,
    onReplaced: (doc) => {
      bindNotes(doc)
      presence.rebind(doc)
    },
    onSynced: () => checkReady(),
    onSaveState: () => refreshStatus(),
    onAwareness: (update) => presence.apply(update),
  })
  const presence = new Presence(connection, notesSync.doc)
  let model = new NotesModel(notesSync.doc)
  const undo = new Undo()

  // ---- views --------------------------------------------------------------------------------
  const canvas = new BoardCanvas({
    onSelectionChange: () => refreshToolbar(),
    onEditChange: (id) => presence.update({ editing: id }),
    onEditEnd: (id, isNew) => {
      undo.stopCapturing()
      if (isNew && model.text(id)?.length === 0) model.delete([id], null)
    },
    onTextLimit: () => toasts.show(t('limit.chars', { max: limits.maxNoteChars })),
    onViewChange: () => {
      refreshToolbar()
      facilitation.onViewChange()
    },
  })
  const actions = {
    canWrite,
    createNoteAt: (x: number, y: number): string | null => createNote([x - NOTE_SIZE.w / 2, y - NOTE_SIZE.h / 2, NOTE_SIZE.w, NOTE_SIZE.h], color),
    moveNotes: (rects: Map<string, Rect>) => {
      if (canWrite()) model.setRects(rects)
    },
    deleteNotes: (ids: string[]) => deleteNotes(ids),
    undo: () => undo.undo(),
    redo: () => undo.redo(),
    cursor: (cursor: [number, number] | null) => presence.update({ cursor: cursor && [Math.round(cursor[0]), Math.round(cursor[1])] }),
    drag: (drag: Parameters<Presence['update']>[0]['drag']) => presence.update({ drag: drag ?? null }),
    resize: (resize: Parameters<Presence['update']>[0]['resize']) => presence.update({ resize: resize ?? null }),
    flushPresence: () => presence.flush(),
  }
  new Interactions(canvas, actions)

  const toolbar = new Toolbar({
    add: () => {
      const box = canvas.el.getBoundingClientRect()
      const [cx, cy] = [(box.width / 2 - canvas.view.x) / canvas.view.zoom, (box.height / 2 - canvas.view.y) / canvas.view.zoom]
      const occupied = [...canvas.notes()].map((n) => n.rect)
      const rect = placeNear(cx - NOTE_SIZE.w / 2, cy - NOTE_SIZE.h / 2, occupied)
      const id = createNote(rect, color)
      if (id) canvas.startEdit(id, true)
    },
    color: (next) => {
      color = next
      storage.setNoteColor(next)
      if (canvas.selection.size > 0 && canWrite()) model.setColor(canvas.selection, next)
      refreshToolbar()
    },
    remove: () => deleteNotes([...canvas.selection]),
    undo: () => undo.undo(),
    redo: () => undo.redo(),
    zoomIn: () => canvas.zoomBy(1.2),
    zoomOut: () => canvas.zoomBy(1 / 1.2),
    fit: () => {
      projectorFollow = true
      canvas.fitContent()
    },
  })
  const lockButton = h('button', { class: 'button', attrs: { type: 'button', 'aria-pressed': 'false' }, on: { click: () => setLocked(layoutSync.doc, !meta.locked) } })
  const facilitation = new FacilitationUI({
    boardId, token, participantId, connection, canvas, presence,
    layout: () => layoutSync.doc,
    anonymous: () => meta.anonymous,
    title: () => meta.title,
    role: () => role,
    toast: (text, kind) => toasts.show(text, kind),
    rebindNotes: () => bindNotes(notesSync.doc),
    onRefused,
  })
  toolbar.facilitator.append(lockButton, facilitation.panelButton)
  const exportMenu = new ExportMenu(boardId, token, toasts)
  toolbar.el.append(exportMenu.el)

  const formOptions = (prefix: string) => ({
    idPrefix: prefix,
    zones: () => zones,
    maxChars: () => limits.maxNoteChars,
    color: () => color,
    onColor: (next: PaletteName) => {
      color = next
      storage.setNoteColor(next)
      refreshToolbar()
    },
    onSubmit: (text: string, noteColor: PaletteName, zoneId: string | null) => addIdea(text, noteColor, zoneId),
  })
  const phoneForm = ideaForm(formOptions('phone'))
  const listForm = ideaForm(formOptions('list'))
  const phone = new PhoneScreen(phoneForm, () => setMode('board'))
  const listView = new ListView({
    canWrite,
    anonymous: () => meta.anonymous,
    maxChars: () => limits.maxNoteChars,
    onDelete: (id) => deleteNotes([id]),
    onTextLimit: () => toasts.show(t('limit.chars', { max: limits.maxNoteChars })),
  }, listForm)

  const presenceList = new PresenceList(() => promptName())
  const title = h('h1', { class: 'topbar__title' })
  const roleBadge = h('span', { class: 'role-badge' })
  const boardTab = tabButton('view.board', () => setMode('board'))
  const listTab = tabButton('view.list', () => setMode('list'))
  const addIdeaTab = tabButton('view.addIdea', () => setMode('phone'))
  const shareButton = bindText(h('button', { class: 'button', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'share-panel', hidden: true } }), 'share.open')
  const sharePanelEl = h('aside', { class: 'side-panel', attrs: { id: 'share-panel', hidden: true, 'aria-labelledby': 'share-title' } })
  shareButton.addEventListener('click', () => toggleShare())
  const lockedBanner = h('div', { class: 'locked-banner', attrs: { hidden: true, role: 'note' } })
  const loading = h('div', { class: 'loading' }, [h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), bindText(h('span'), 'board.loading')])
  const fatal = h('div', { class: 'fatal', attrs: { hidden: true, role: 'alert' } })
  const addFab = bindText(h('button', { class: 'button button--primary fab', attrs: { type: 'button', hidden: true }, on: { click: () => setMode('phone') } }), 'view.addIdea')

  const main = h('main', { class: 'board-main', attrs: { id: 'main' } }, [canvas.el, listView.el, phone.el, loading, fatal])
  const views = h('nav', { class: 'view-switch' }, [boardTab, listTab, addIdeaTab])
  bindAttr(views, 'aria-label', 'view.label')
  const screen = h('div', { class: 'board-screen' }, [
    h('a', { class: 'skip-link', attrs: { href: '#main' }, text: '' }),
    h('header', { class: 'topbar' }, [
      h('a', { class: 'brand', attrs: { href: '/' }, text: 'Ardoise' }),
      title,
      roleBadge,
      status.el,
      h('div', { class: 'topbar__spacer' }),
      views,
      presenceList.el,
      shareButton,
      languageSwitch(),
    ]),
    lockedBanner,
    facilitation.strip,
    main,
    toolbar.el,
    addFab,
    sharePanelEl,
    facilitation.panelEl,
    toasts.el,
  ])
  bindText(screen.querySelector('.skip-link') as HTMLElement, 'board.skip')
  root.replaceChildren(screen)

  // ---- binding documents to views ---------------------------------------------------------
  let offLayout: (() => void) | null = null
  function bindLayout(doc: Y.Doc): void {
    offLayout?.()
    const handler = (): void => readLayout(doc)
    doc.on('update', handler)
    offLayout = () => doc.off('update', handler)
    readLayout(doc)
  }

  function readLayout(doc: Y.Doc): void {
    const before = meta
    meta = readMeta(doc)
    const nextZones = readZones(doc)
    if (JSON.stringify(nextZones) !== JSON.stringify(zones)) {
      zones = nextZones
      canvas.setZones(zones)
      listView.setZones(zones)
      phoneForm.refreshZones()
      listForm.refreshZones()
      scheduleProjectorFit()
    }
    canvas.setAnonymous(meta.anonymous)
    title.textContent = meta.title
    document.title = meta.title ? `${meta.title} · Ardoise` : 'Ardoise'
    if (role === Role.FACILITATOR && meta.title) storage.renameMyBoard(boardId, meta.title)
    if (before.locked !== meta.locked && role === Role.PARTICIPANT && layoutSync.isSynced) {
      toasts.show(t(meta.locked ? 'lock.nowLocked' : 'lock.nowUnlocked'))
    }
    facilitation.onLayout(doc)
    refreshRole()
  }

  function bindNotes(doc: Y.Doc): void {
    model = facilitation.notesModel(doc)
    canvas.setModel(model)
    listView.setModel(model)
    undo.bind(model)
    model.observe(() => {
      scheduleProjectorFit()
      facilitation.onNotesChanged()
    })
  }

  // ---- actions ------------------------------------------------------------------------------
  function now(): number {
    return Date.now() + clockOffset
  }

  function createNote(rect: Rect, noteColor: PaletteName, text = ''): string | null {
    if (!canWrite()) {
      toasts.show(t(meta.locked ? 'lock.readOnly' : 'role.readOnly'))
      return null
    }
    if (model.size >= limits.maxNotes) {
      toasts.show(t('limit.notes', { max: limits.maxNotes }), 'error')
      return null
    }
    undo.stopCapturing()
    return model.create({ rect, color: noteColor, text: text.slice(0, limits.maxNoteChars), author: name, authorId: participantId, createdAt: now() })
  }

  function addIdea(text: string, noteColor: PaletteName, zoneId: string | null): string | null {
    const zone = zones.find((z) => z.id === zoneId) ?? null
    const occupied = [...canvas.notes()].map((n) => n.rect)
    let rect: Rect
    if (zone) {
      rect = placeInZone(zone.rect, occupied)
    } else {
      const all = [...zones.map((z) => z.rect), ...occupied]
      const bottom = all.length ? Math.max(...all.map((r) => r[1] + r[3])) + 40 : 40
      const left = all.length ? Math.min(...all.map((r) => r[0])) : 40
      rect = placeNear(left, zones.length ? bottom : 40, occupied)
    }
    const id = createNote(rect, noteColor, text)
    if (!id) return null
    if (text.length > limits.maxNoteChars) toasts.show(t('limit.chars', { max: limits.maxNoteChars }))
    const landed = zoneOf(rect, zones)
    return landed ? landed.title || landed.id : ''
  }

  function deleteNotes(ids: string[]): void {
    if (!canWrite() || ids.length === 0) return
    undo.stopCapturing()
    model.delete(ids)
    toasts.show(t('notes.deleted', { count: ids.length }))
  }

  function promptName(): void {
    screen.append(askName(name, (chosen) => {
      name = chosen
      storage.setDisplayName(chosen)
      connection.setParticipantName(chosen)
      announce()
      canvas.el.focus()
    }))
  }

  function announce(): void {
    if (role === null || role === Role.OBSERVER || !name) {
      presence.setIdentity(null)
    } else {
      presence.setIdentity({ participantId, name, color: peerColor(participantId), role })
    }
    refreshPresence()
  }

  // ---- modes and chrome -------------------------------------------------------------------
  function setMode(next: Mode): void {
    if (next === 'phone' && !canWrite()) next = 'board'
    mode = next
    canvas.el.hidden = next !== 'board'
    listView.show(next === 'list')
    phone.el.hidden = next !== 'phone'
    toolbar.el.hidden = next !== 'board' || role === Role.OBSERVER
    addFab.hidden = !(next === 'board' && isPhone() && canWrite())
    boardTab.setAttribute('aria-pressed', String(next === 'board'))
    listTab.setAttribute('aria-pressed', String(next === 'list'))
    addIdeaTab.setAttribute('aria-pressed', String(next === 'phone'))
    addIdeaTab.hidden = !canWrite()
    if (next === 'board') canvas.flush()
    if (next === 'phone') queueMicrotask(() => phoneForm.focus())
    if (next === 'list') queueMicrotask(() => listView.focusTitle())
  }

  function refreshRole(): void {
    const writable = canWrite()
    canvas.setReadOnly(!writable)
    screen.classList.toggle('is-projector', role === Role.OBSERVER)
    screen.classList.toggle('is-read-only', !writable)
    if (role) bindText(roleBadge, `role.${role}` as Key)
    const locked = meta.locked
    lockedBanner.hidden = !(locked && role !== null)
    if (locked) bindText(lockedBanner, role === Role.FACILITATOR ? 'lock.bannerFacilitator' : 'lock.banner')
    lockButton.hidden = role !== Role.FACILITATOR
    exportMenu.setRole(role)
    lockButton.setAttribute('aria-pressed', String(locked))
    bindText(lockButton, locked ? 'lock.unlock' : 'lock.lock')
    shareButton.hidden = role !== Role.FACILITATOR
    phoneForm.setDisabled(!writable)
    listForm.setDisabled(!writable)
    listView.refreshPermissions()
    if (mode === 'phone' && !writable) setMode('board')
    else setMode(mode)
    refreshToolbar()
  }

  function refreshToolbar(): void {
    toolbar.update({
      writable: canWrite(),
      selection: canvas.selection.size,
      color,
      canUndo: undo.canUndo,
      canRedo: undo.canRedo,
      zoom: canvas.view.zoom,
    })
  }

  function refreshStatus(): void {
    const save: SaveState = [layoutSync.saveState, notesSync.saveState].includes('unsent')
      ? 'unsent'
      : [layoutSync.saveState, notesSync.saveState].includes('saving') ? 'saving' : 'saved'
    status.update(connection.status, save)
  }

  function refreshPresence(): void {
    const others = presence.others()
    canvas.setRemote(others)
    const me = role !== Role.OBSERVER && name ? { name, color: peerColor(participantId), participantId } : null
    presenceList.update(me, others)
  }

  function toggleShare(force?: boolean): void {
    const open = force ?? sharePanelEl.hidden
    sharePanelEl.hidden = !open
    shareButton.setAttribute('aria-expanded', String(open))
    if (!open) return
    const close = bindText(h('button', { class: 'button button--small', attrs: { type: 'button' }, on: { click: () => { toggleShare(false); shareButton.focus() } } }), 'share.close')
    sharePanelEl.replaceChildren(
      h('div', { class: 'side-panel__head' }, [bindText(h('h2', { attrs: { id: 'share-title' } }), 'share.title'), close]),
      facilitation.shareContent(),
    )
    close.focus()
  }
  sharePanelEl.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      toggleShare(false)
      shareButton.focus()
    }
  })

  function checkReady(): void {
    if (!layoutSync.isSynced || !notesSync.isSynced) return
    loading.hidden = true
    if (firstView) {
      firstView = false
      canvas.flush()
      canvas.fitContent(role === Role.OBSERVER ? 2 : 1)
      if (isPhone() && canWrite()) setMode('phone')
    }
  }

  function scheduleProjectorFit(): void {
    if (role !== Role.OBSERVER || !projectorFollow || firstView) return
    clearTimeout(projectorTimer)
    projectorTimer = setTimeout(() => canvas.fitContent(2), PROJECTOR_FIT_DELAY_MS)
  }

  function onStatus(next: ConnectionStatus): void {
    if (next.kind === 'online') {
      const firstWelcome = role === null
      role = next.welcome.role
      limits = { ...DEFAULT_LIMITS, ...next.welcome.limits }
      canvas.maxNoteChars = limits.maxNoteChars
      clockOffset = next.welcome.serverTime - Date.now()
      facilitation.onWelcome(next.welcome)
      refreshRole()
      if (firstWelcome && role !== Role.OBSERVER && !name) promptName()
      else announce()
    }
    if (next.kind === 'error') {
      fatal.hidden = role !== null && !['board_not_found', 'unauthorized'].includes(next.code)
      fatal.replaceChildren(
        bindText(h('h2', {}), 'board.cannotOpen'),
        bindText(h('p', {}), errorKey(next.code)),
        bindText(h('a', { class: 'button button--primary', attrs: { href: '/' } }), 'board.backHome'),
      )
      if (!fatal.hidden) loading.hidden = true
    }
    refreshStatus()
    refreshPresence()
  }

  // ---- global keys and lifecycle -------------------------------------------------------------
  screen.addEventListener('keydown', (event) => {
    const mod = event.ctrlKey || event.metaKey
    if (!mod || mode !== 'board') return
    const target = event.target as HTMLElement
    const inField = target.closest('input, select, textarea') !== null && !target.classList.contains('note__editor')
    if (inField) return
    const key = event.key.toLowerCase()
    if (key === 'z' || key === 'y') {
      event.preventDefault()
      if (key === 'y' || event.shiftKey) undo.redo()
      else undo.undo()
    }
  })
  canvas.el.addEventListener('pointerdown', () => { if (role === Role.OBSERVER) projectorFollow = false })
  canvas.el.addEventListener('wheel', () => { if (role === Role.OBSERVER) projectorFollow = false }, { passive: true })
  undo.onChange(() => refreshToolbar())
  presence.onChange(() => {
    refreshPresence()
    facilitation.onPresence()
  })
  connection.onStatus(onStatus)
  onLocaleChange(() => {
    refreshStatus()
    refreshPresence()
    canvas.invalidate([...canvas.notes()].map((n) => n.id))
    facilitation.refreshTexts()
  })
  matchMedia(PHONE_QUERY).addEventListener('change', () => setMode(mode))
  addEventListener('pagehide', () => presence.leave())

  bindLayout(layoutSync.doc)
  bindNotes(notesSync.doc)
  refreshStatus()
  refreshRole()
  connection.connect()
}

function tabButton(key: Key, onClick: () => void): HTMLButtonElement {
  return bindText(h('button', { class: 'tab', attrs: { type: 'button', 'aria-pressed': 'false' }, on: { click: onClick } }), key)
}

function refusalKey(code: string): Key {
  return code === 'board_locked' || code === 'forbidden' || code === 'rate_limited' || code === 'payload_too_large' || code === 'invalid'
    ? (`refusal.${code}` as Key)
    : 'refusal.other'
}
