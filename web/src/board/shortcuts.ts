/**
 * Every keyboard shortcut of the board, once: the `?` dialog lists these, and docs/web-client.md's
 * table ("Keyboard") is the same rows (shortcuts.test.ts compares them).
 */
import type { Key } from '../i18n'

export interface Shortcut {
  /** The keys, as written in the dialog and the docs. */
  keys: string
  /** What it does, in the person's language. */
  does: Key
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: '`Tab` / `Shift+Tab`', does: 'shortcut.tab' },
  { keys: '`N`', does: 'shortcut.add' },
  { keys: '`Enter` or `F2`', does: 'shortcut.edit' },
  { keys: '`Escape`', does: 'shortcut.escape' },
  { keys: 'arrows', does: 'shortcut.arrows' },
  { keys: '`Delete` / `Backspace`', does: 'shortcut.delete' },
  { keys: '`Ctrl+Z`, `Ctrl+Shift+Z` or `Ctrl+Y`', does: 'shortcut.undo' },
  { keys: '`Ctrl+A`', does: 'shortcut.selectAll' },
  { keys: '`Ctrl+C`, `Ctrl+V`', does: 'shortcut.copyPaste' },
  { keys: '`Ctrl+D`', does: 'shortcut.duplicate' },
  { keys: '`+`, `-`, `0`', does: 'shortcut.zoom' },
  { keys: '`Z`', does: 'shortcut.zoomSelection' },
  { keys: '`G`', does: 'shortcut.group' },
  { keys: '`?`', does: 'shortcut.help' },
  { keys: '`Ctrl+Enter`', does: 'shortcut.addIdea' },
]

/** The keys without the docs' backticks, and "arrows" / "or" in the person's words: `or`, `arrows` given by the caller. */
export function keysText(keys: string, words: { or: string; arrows: string }): string {
  return keys.replace(/`/g, '').replace(/ or /g, ` ${words.or} `).replace(/^arrows$/, words.arrows)
}
