/** What this browser remembers (localStorage): participant id, display name, language, note colour and "Mes tableaux". */
// "Mes tableaux" are the boards created here, with their facilitator token. Nothing of it goes to
// the server except the id and name presented when joining a board.

const KEYS = {
  participantId: 'ardoise.participantId',
  name: 'ardoise.name',
  locale: 'ardoise.locale',
  boards: 'ardoise.boards',
  color: 'ardoise.noteColor',
} as const

export interface MyBoard {
  id: string
  title: string
  createdAt: number
  joinCode: string
  tokens: { facilitator: string; participant: string; observer: string }
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null // storage disabled (private mode on some browsers): remember nothing
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key)
    else localStorage.setItem(key, value)
  } catch {
    // Storage full or disabled: the app still works, it only forgets on reload.
  }
}

/** A stable random id (docs/protocol.md section 3: 1–64 of [A-Za-z0-9_-]), made once per browser. */
export function participantId(): string {
  const existing = read(KEYS.participantId)
  if (existing && /^[A-Za-z0-9_-]{1,64}$/.test(existing)) return existing
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  const id = 'p' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  write(KEYS.participantId, id)
  return id
}

export function displayName(): string {
  return read(KEYS.name) ?? ''
}

export function setDisplayName(name: string): void {
  write(KEYS.name, name.trim().slice(0, 80))
}

export function storedLocale(): string | null {
  return read(KEYS.locale)
}

export function setStoredLocale(locale: string): void {
  write(KEYS.locale, locale)
}

export function noteColor(): string | null {
  return read(KEYS.color)
}

export function setNoteColor(color: string): void {
  write(KEYS.color, color)
}

export function myBoards(): MyBoard[] {
  try {
    const parsed: unknown = JSON.parse(read(KEYS.boards) ?? '[]')
    if (!Array.isArray(parsed)) return []
    return parsed.filter(
      (b): b is MyBoard =>
        typeof b === 'object' && b !== null && typeof b.id === 'string' && typeof b.title === 'string' &&
        typeof b.tokens === 'object' && b.tokens !== null && typeof b.tokens.facilitator === 'string',
    ).sort((a, b) => b.createdAt - a.createdAt)
  } catch {
    return []
  }
}

export function rememberBoard(board: MyBoard): void {
  write(KEYS.boards, JSON.stringify([board, ...myBoards().filter((b) => b.id !== board.id)]))
}

export function forgetBoard(id: string): void {
  write(KEYS.boards, JSON.stringify(myBoards().filter((b) => b.id !== id)))
}

export function myBoard(id: string): MyBoard | null {
  return myBoards().find((b) => b.id === id) ?? null
}

export function renameMyBoard(id: string, title: string): void {
  const board = myBoard(id)
  if (board && board.title !== title && title) rememberBoard({ ...board, title })
}
