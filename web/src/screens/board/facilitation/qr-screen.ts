/** The join code and its QR code, full screen, for a projector. */
import qrcode from 'qrcode-generator'
import { bindAttr, bindText, t } from '../../../i18n'
import { h, svg } from '../../../lib/dom'
import type { ShareLinksSource } from '../../../session/share-links'
import type { Toasts } from '../../widgets/toasts'

// The QR code is computed in the browser (qrcode-generator) and drawn as SVG rectangles: no HTML
// string is ever inserted.

export function qrSvg(text: string): SVGSVGElement {
  const qr = qrcode(0, 'M')
  qr.addData(text)
  qr.make()
  const count = qr.getModuleCount()
  const quiet = 4
  const size = count + quiet * 2
  let path = ''
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (qr.isDark(row, col)) path += `M${col + quiet} ${row + quiet}h1v1h-1z`
    }
  }
  return svg('svg', { class: 'qr', viewBox: `0 0 ${size} ${size}`, 'shape-rendering': 'crispEdges', role: 'img' }, [
    svg('rect', { x: 0, y: 0, width: size, height: size, fill: '#ffffff' }),
    svg('path', { d: path, fill: '#000000' }),
  ])
}

/** Opens the screen; Escape or the button closes it and gives the focus back. */
export function showQrScreen(code: string, joinUrl: string): void {
  const returnFocus = document.activeElement as HTMLElement | null
  const image = qrSvg(joinUrl)
  bindAttr(image, 'aria-label', 'qr.imageLabel', { url: joinUrl })
  const close = bindText(h('button', { class: 'button button--large', attrs: { type: 'button' } }), 'qr.close')
  const screen = h('div', { class: 'qr-screen', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'qr-title' } }, [
    h('div', { class: 'qr-screen__text' }, [
      bindText(h('h2', { class: 'qr-screen__title', attrs: { id: 'qr-title' } }), 'qr.title'),
      bindText(h('p', { class: 'qr-screen__step' }), 'qr.stepSite', { url: location.host }),
      bindText(h('p', { class: 'qr-screen__step' }), 'qr.stepCode'),
      h('p', { class: 'qr-screen__code', attrs: { 'data-share': 'code' }, text: code }),
      bindText(h('p', { class: 'qr-screen__step' }), 'qr.stepScan'),
      h('p', { class: 'qr-screen__url', text: joinUrl.replace(/^https?:\/\//, '') }),
    ]),
    h('div', { class: 'qr-screen__image' }, [image]),
    h('div', { class: 'qr-screen__actions' }, [close]),
  ])
  const done = (): void => {
    screen.remove()
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined)
    returnFocus?.focus()
  }
  close.addEventListener('click', done)
  screen.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      done()
    } else if (event.key === 'Tab') {
      event.preventDefault()
      close.focus()
    }
  })
  document.body.append(screen)
  close.focus()
  screen.requestFullscreen?.().catch(() => undefined)
}

/** The QR screen for this board's join link, once the links are known (a toast says when they cannot be). */
export async function openJoinQr(share: ShareLinksSource, toasts: Toasts): Promise<void> {
  const links = await share.links()
  if (!links) {
    toasts.show(t('share.unavailable'), 'error')
    return
  }
  showQrScreen(links.joinCode, links.join)
}
