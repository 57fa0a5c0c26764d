/** Element builders (`h`, `svg`) and copying to the clipboard. */
// Text always goes in as text nodes (never HTML), so a note reading `<img src=x onerror=…>` stays
// those characters on screen.

type Child = Node | string | null | undefined | false
type Handler = (event: any) => void

export interface Props {
  class?: string
  attrs?: Record<string, string | number | boolean | null | undefined>
  on?: Record<string, Handler>
  text?: string
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  children: Child[] = [],
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  if (props.class) el.className = props.class
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue
    el.setAttribute(name, value === true ? '' : String(value))
  }
  for (const [event, handler] of Object.entries(props.on ?? {})) el.addEventListener(event, handler)
  if (props.text !== undefined) el.textContent = props.text
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    el.append(typeof child === 'string' ? document.createTextNode(child) : child)
  }
  return el
}

const SVG_NS = 'http://www.w3.org/2000/svg'

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  children: Node[] = [],
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag)
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value))
  el.append(...children)
  return el
}

/** Copies text to the clipboard; falls back to a selection for browsers that refuse. */
export async function copyText(text: string, fallbackInput?: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    if (fallbackInput) {
      fallbackInput.focus()
      fallbackInput.select()
    }
    return false
  }
}

/** Keep keyboard focus inside `container` (a dialog) while it is open: Tab wraps around the
 * elements `focusable` returns, at each press (what is shown may change). */
export function trapFocus(container: HTMLElement, focusable: () => HTMLElement[]): void {
  container.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return
    const elements = focusable()
    const first = elements[0]
    const last = elements[elements.length - 1]
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last?.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first?.focus()
    }
  })
}
