/** The home page: create a board from a template, join with a code, find again the boards created here ("Mes tableaux"). */
import { bindAttr, bindText, locale, onLocaleChange, t } from '../../i18n'
import { bounds } from '../../board/geometry'
import { type TemplateSummary, createBoard, deleteTemplate, listTemplates, renameTemplate } from '../../api/boards'
import { h, svg } from '../../lib/dom'
import { restoreBackup } from '../exports/restore-backup'
import { openModal } from '../widgets/modal'
import { languageSwitch } from '../widgets/language-switch'
import { linksFor } from '../../lib/board-links'
import { sharePanel } from '../widgets/share-panel'
import { errorKey } from '../../i18n/error-words'
import * as storage from '../../lib/storage'
import { templateImport } from './template-import'
import { TemplateParams } from './template-params'
import { workshopCreate } from './workshop-create'
import './home.css'

// The home page's one-column layout (styles.css, the .home grid).
const ONE_COLUMN_QUERY = '(max-width: 860px)'

export function mountHome(root: HTMLElement, navigate: (path: string) => void): void {
  const titleInput = h('input', { attrs: { id: 'board-title', type: 'text', maxlength: 200, required: true, autocomplete: 'off' } })
  bindAttr(titleInput, 'placeholder', 'home.titlePlaceholder')
  const gallery = h('div', { class: 'gallery', attrs: { role: 'radiogroup', 'aria-labelledby': 'template-legend' } })
  // What became of a rename or a deletion of one's own template.
  const galleryStatus = h('p', { class: 'gallery__status', attrs: { role: 'status' } })
  const params = new TemplateParams()
  let templates: TemplateSummary[] = []
  const createError = h('p', { class: 'field__error', attrs: { role: 'alert' } })
  const createButton = bindText(h('button', { class: 'button button--primary button--large', attrs: { type: 'submit' } }), 'home.create')
  const result = h('div', { class: 'created', attrs: { hidden: true, tabindex: -1 } })
  const createForm = h('form', { class: 'home-create__form', attrs: { novalidate: true } }, [
    h('div', { class: 'field' }, [bindText(h('label', { attrs: { for: titleInput.id } }), 'home.titleLabel'), titleInput]),
    h('div', { class: 'field' }, [bindText(h('p', { class: 'field__legend', attrs: { id: 'template-legend' } }), 'home.template'), gallery, galleryStatus]),
    params.el,
    createError,
    createButton,
  ])

  const codeInput = h('input', { class: 'code-input', attrs: { id: 'join-code', type: 'text', maxlength: 20, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', required: true } })
  const joinError = h('p', { class: 'field__error', attrs: { role: 'alert' } })
  const joinForm = h('form', { class: 'home-join__form', attrs: { novalidate: true } }, [
    h('div', { class: 'field' }, [
      bindText(h('label', { attrs: { for: codeInput.id } }), 'home.codeLabel'),
      h('div', { class: 'inline-field' }, [codeInput, bindText(h('button', { class: 'button button--primary', attrs: { type: 'submit' } }), 'home.join')]),
      joinError,
    ]),
  ])

  const mineList = h('ul', { class: 'my-boards' })
  const page = h('div', { class: 'home-page' }, [
    h('header', { class: 'home-header' }, [
      h('div', { class: 'home-header__brand' }, [
        h('span', { class: 'brand brand--large', text: 'Ardoise' }),
        bindText(h('p', { class: 'home-header__tagline' }), 'home.tagline'),
      ]),
      languageSwitch(),
    ]),
    h('main', { class: 'home', attrs: { id: 'main' } }, [
      // First in the reading order: on one column (a phone) it comes first.
      h('section', { class: 'card home-join', attrs: { 'aria-labelledby': 'join-title' } }, [
        bindText(h('h2', { attrs: { id: 'join-title' } }), 'home.joinTitle'),
        joinForm,
      ]),
      h('section', { class: 'card home-create', attrs: { 'aria-labelledby': 'create-title' } }, [
        bindText(h('h1', { attrs: { id: 'create-title' } }), 'home.createTitle'),
        createForm,
        result,
      ]),
      h('div', { class: 'home__side' }, [
        h('section', { class: 'card home-mine', attrs: { 'aria-labelledby': 'mine-title' } }, [
          bindText(h('h2', { attrs: { id: 'mine-title' } }), 'home.mineTitle'),
          bindText(h('p', { class: 'card__note' }), 'home.mineNote'),
          mineList,
        ]),
        workshopCreate(),
        templateImport(() => void loadTemplates()),
        restoreBackup((board) => {
          storage.rememberBoard(board)
          showCreated(board)
          renderMine()
        }),
      ]),
    ]),
  ])
  root.replaceChildren(page)
  document.title = 'Ardoise'

  // ---- templates ----------------------------------------------------------------------------
  let selected = 'blank'
  async function loadTemplates(): Promise<void> {
    // Templates saved or imported in this browser are listed, by their keys, to this browser only.
    const answer = await listTemplates(locale(), Object.values(storage.templateKeys()))
    if (!answer.ok) {
      gallery.replaceChildren(bindText(h('p', { class: 'field__error' }), errorKey(answer.error.code)))
      return
    }
    templates = answer.value
    if (!templates.some((tpl) => tpl.id === selected)) selected = templates[0]?.id ?? 'blank'
    gallery.replaceChildren(...templates.map((tpl) => templateCard(tpl)))
    params.set(templates.find((tpl) => tpl.id === selected))
  }

  function templateCard(tpl: TemplateSummary): HTMLElement {
    const id = `template-${tpl.id}`
    const input = h('input', { class: 'visually-hidden', attrs: { type: 'radio', name: 'template', value: tpl.id, id } })
    input.checked = tpl.id === selected
    input.addEventListener('change', () => {
      selected = tpl.id
      params.set(tpl)
    })
    const key = tpl.mine ? storage.templateKeys()[tpl.id] : undefined
    return h('div', { class: 'template' }, [
      input,
      h('label', { class: 'template__card', attrs: { for: id } }, [
        preview(tpl),
        h('span', { class: 'template__name', text: tpl.name }),
        ...(key ? [bindText(h('span', { class: 'template__mine' }), 'gallery.mine')] : []),
        h('span', { class: 'template__description', text: tpl.description }),
      ]),
      ...(key ? [ownTemplateActions(tpl, key)] : []),
    ])
  }

  /** Rename and delete, on the templates this browser saved or imported (the server checks the key). */
  function ownTemplateActions(tpl: TemplateSummary, key: string): HTMLElement {
    const rename = bindText(h('button', { class: 'button button--small button--quiet', attrs: { type: 'button' }, on: { click: () => askRename(tpl, key) } }), 'gallery.rename')
    bindAttr(rename, 'aria-label', 'gallery.renameNamed', { name: tpl.name })
    const remove = bindText(h('button', { class: 'button button--small button--quiet', attrs: { type: 'button' }, on: { click: () => askDelete(tpl, key) } }), 'gallery.delete')
    bindAttr(remove, 'aria-label', 'gallery.deleteNamed', { name: tpl.name })
    return h('div', { class: 'template__actions' }, [rename, remove])
  }

  function failed(error: { code: string; message: string }): void {
    galleryStatus.textContent = t('gallery.failed', { reason: error.message || t(errorKey(error.code)) })
  }

  function askRename(tpl: TemplateSummary, key: string): void {
    const modal = openModal('gallery.renameTitle', 'template-rename')
    const input = h('input', { class: 'template-params__input', attrs: { id: 'template-new-name', type: 'text', maxlength: 80, required: true, autocomplete: 'off' } })
    input.value = tpl.name
    const form = h('form', { class: 'template-rename__form', attrs: { novalidate: true } }, [
      h('div', { class: 'field' }, [bindText(h('label', { attrs: { for: input.id } }), 'gallery.nameLabel'), input]),
      h('div', { class: 'created__actions' }, [
        bindText(h('button', { class: 'button button--primary', attrs: { type: 'submit' } }), 'gallery.rename'),
        bindText(h('button', { class: 'button', attrs: { type: 'button' }, on: { click: () => modal.close() } }), 'gallery.cancel'),
      ]),
    ])
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      const name = input.value.trim()
      if (!name || name === tpl.name) return modal.close()
      const answer = await renameTemplate(tpl.id, key, name)
      modal.close()
      if (!answer.ok) return failed(answer.error)
      galleryStatus.textContent = t('gallery.renamed', { name: answer.value.name })
      await loadTemplates()
    })
    modal.body.append(form)
    input.select()
    input.focus()
  }

  function askDelete(tpl: TemplateSummary, key: string): void {
    const modal = openModal('gallery.deleteTitle', 'template-delete')
    const confirmButton = bindText(h('button', { class: 'button button--primary', attrs: { type: 'button' }, on: {
      click: async () => {
        const answer = await deleteTemplate(tpl.id, key)
        modal.close()
        // Already gone (deleted from another browser holding the key): forgotten here too.
        if (!answer.ok && answer.status !== 404) return failed(answer.error)
        storage.forgetTemplateKey(tpl.id)
        galleryStatus.textContent = t('gallery.deleted', { name: tpl.name })
        await loadTemplates()
      },
    } }), 'gallery.delete')
    modal.body.append(
      bindText(h('p', {}), 'gallery.deleteConfirm', { name: tpl.name }),
      h('div', { class: 'created__actions' }, [
        confirmButton,
        bindText(h('button', { class: 'button', attrs: { type: 'button' }, on: { click: () => modal.close() } }), 'gallery.cancel'),
      ]),
    )
    confirmButton.focus()
  }

  // ---- create -------------------------------------------------------------------------------
  createForm.addEventListener('submit', async (event) => {
    event.preventDefault()
    const title = titleInput.value.trim()
    if (!title) {
      bindText(createError, 'home.titleMissing')
      titleInput.focus()
      return
    }
    createError.textContent = ''
    createButton.disabled = true
    const answer = await createBoard(title, selected, locale(), params.values())
    createButton.disabled = false
    if (!answer.ok) {
      bindText(createError, errorKey(answer.error.code))
      return
    }
    const board = answer.value
    const mine: storage.MyBoard = { id: board.id, title: board.title, createdAt: Date.now(), joinCode: board.joinCode, tokens: board.tokens }
    storage.rememberBoard(mine)
    showCreated(mine)
    renderMine()
  })

  function showCreated(board: storage.MyBoard): void {
    const links = linksFor(board)
    createForm.hidden = true
    result.hidden = false
    result.replaceChildren(
      bindText(h('h2', {}), 'home.createdTitle', { title: board.title }),
      bindText(h('p', {}), 'home.createdIntro'),
      sharePanel(links),
      h('div', { class: 'created__actions' }, [
        bindText(h('a', { class: 'button button--primary button--large', attrs: { href: `/b/${board.id}#token=${encodeURIComponent(board.tokens.facilitator)}`, 'data-open-board': '' } }), 'home.openBoard'),
        bindText(h('button', { class: 'button', attrs: { type: 'button' }, on: { click: () => { result.hidden = true; createForm.hidden = false; titleInput.value = ''; titleInput.focus() } } }), 'home.createAnother'),
      ]),
    )
    result.focus()
  }

  // ---- join ---------------------------------------------------------------------------------
  joinForm.addEventListener('submit', (event) => {
    event.preventDefault()
    const code = codeInput.value.replace(/[\s._-]/g, '').toUpperCase()
    if (!code) {
      bindText(joinError, 'join.codeMissing')
      codeInput.focus()
      return
    }
    navigate(`/j/${encodeURIComponent(code)}`)
  })

  // ---- mine ---------------------------------------------------------------------------------
  function renderMine(): void {
    const boards = storage.myBoards()
    if (boards.length === 0) {
      mineList.replaceChildren(bindText(h('li', { class: 'my-boards__empty' }), 'home.mineEmpty'))
      return
    }
    mineList.replaceChildren(...boards.map((board) => {
      const open = h('a', { class: 'my-boards__link', attrs: { href: `/b/${board.id}#token=${encodeURIComponent(board.tokens.facilitator)}` }, text: board.title })
      const date = h('span', { class: 'my-boards__date', text: new Date(board.createdAt).toLocaleDateString(locale()) })
      const forget = bindText(h('button', { class: 'button button--small button--quiet', attrs: { type: 'button' }, on: {
        click: () => {
          if (confirm(t('home.forgetConfirm', { title: board.title }))) {
            storage.forgetBoard(board.id)
            renderMine()
          }
        },
      } }), 'home.forget')
      bindAttr(forget, 'aria-label', 'home.forgetNamed', { title: board.title })
      const links = bindText(h('button', { class: 'button button--small button--quiet', attrs: { type: 'button' }, on: { click: () => showCreated(board) } }), 'home.showLinks')
      bindAttr(links, 'aria-label', 'home.showLinksNamed', { title: board.title })
      return h('li', { class: 'my-boards__item' }, [open, date, h('span', { class: 'my-boards__actions' }, [links, forget])])
    }))
  }

  renderMine()
  void loadTemplates()
  onLocaleChange(() => {
    if (root.contains(page)) void loadTemplates()
  })
  // A wide screen is a facilitator's, who comes to create; on a phone the keyboard would cover the
  // page for a participant who comes to join.
  if (!matchMedia(ONE_COLUMN_QUERY).matches) titleInput.focus()
}

/** A small drawing of the template's zones (from `zones` when the server sends them). */
function preview(tpl: TemplateSummary): SVGSVGElement {
  const zones = Array.isArray(tpl.zones) ? tpl.zones.filter((z) => Array.isArray(z.rect) && z.rect.length === 4) : []
  // Drawn around the zones (a template's board may be sized for its largest parameters).
  const area = bounds(zones.map((z) => z.rect)) ?? [0, 0, tpl.board?.width || 3000, tpl.board?.height || 2000]
  const pad = Math.max(area[2], area[3]) * 0.04
  const [x, y, width, height] = [area[0] - pad, area[1] - pad, area[2] + 2 * pad, area[3] + 2 * pad]
  const el = svg('svg', { class: 'template__preview', viewBox: `${x} ${y} ${width} ${height}`, 'aria-hidden': 'true', preserveAspectRatio: 'xMidYMid meet' }, [
    svg('rect', { x, y, width, height, class: 'template__sheet' }),
    ...zones.map((zone) => svg('rect', {
      x: zone.rect[0], y: zone.rect[1], width: zone.rect[2], height: zone.rect[3],
      rx: Math.min(width, height) / 80,
      class: `template__zone swatch--${zone.color || 'none'}`,
    })),
  ])
  return el
}

