/** What this browser remembers (localStorage): its identity on each board, display name, language, note colour, "Mes tableaux", the boards where a facilitator chose to see a secret vote's counts, the keys of its templates, and the notes last copied. */
// "Mes tableaux" are the boards created here, with their facilitator token. Nothing of it goes to
// the server except the credential and name presented when joining a board.

const KEYS = {
  identities: 'ardoise.identities',
  name: 'ardoise.name',
  locale: 'ardoise.locale',
  boards: 'ardoise.boards',
  color: 'ardoise.noteColor',
  secretTallies: 'ardoise.showSecretTallies',
  templateKeys: 'ardoise.templateKeys',
  copiedNotes: 'ardoise.copiedNotes',
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

/** Who this browser is on one board: the id and credential the server issued (docs/protocol.md section 3). */
export interface BoardIdentity {
  participantId: string
  credential: string
}

// Boards remembered at most; the oldest identities are forgotten first.
const MAX_IDENTITIES = 200

function identities(): Record<string, BoardIdentity & { at: number }> {
  try {
    const parsed: unknown = JSON.parse(read(KEYS.identities) ?? '{}')
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
    const kept: Record<string, BoardIdentity & { at: number }> = {}
    for (const [board, value] of Object.entries(parsed as Record<string, unknown>)) {
      const v = value as Partial<BoardIdentity & { at: number }> | null
      if (v && typeof v.participantId === 'string' && typeof v.credential === 'string') {
        kept[board] = { participantId: v.participantId, credential: v.credential, at: typeof v.at === 'number' ? v.at : 0 }
      }
    }
    return kept
  } catch {
    return {}
  }
}

/** The identity the server gave this browser on a board, if any. */
export function boardIdentity(boardId: string): BoardIdentity | null {
  const found = identities()[boardId]
  return found ? { participantId: found.participantId, credential: found.credential } : null
}

/** Remembers a newly issued identity, so that a reload or a reconnection is the same person. */
export function rememberBoardIdentity(boardId: string, identity: BoardIdentity): void {
  const all = identities()
  all[boardId] = { ...identity, at: Date.now() }
  const boards = Object.keys(all).sort((a, b) => (all[b]?.at ?? 0) - (all[a]?.at ?? 0))
  for (const old of boards.slice(MAX_IDENTITIES)) delete all[old]
  write(KEYS.identities, JSON.stringify(all))
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

// Boards remembered for the choice below; the oldest are forgotten first.
const MAX_SECRET_TALLY_BOARDS = 200

function secretTallyBoards(): string[] {
  try {
    const parsed: unknown = JSON.parse(read(KEYS.secretTallies) ?? '[]')
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : []
  } catch {
    return []
  }
}

/** Whether the facilitator chose, on this board and in this browser, to see a secret vote's counts. */
export function showsSecretTallies(boardId: string): boolean {
  return secretTallyBoards().includes(boardId)
}

export function setShowsSecretTallies(boardId: string, shown: boolean): void {
  const others = secretTallyBoards().filter((id) => id !== boardId)
  write(KEYS.secretTallies, JSON.stringify(shown ? [boardId, ...others].slice(0, MAX_SECRET_TALLY_BOARDS) : others))
}

// Template keys remembered at most: the server reads as many (docs/templates.md, Ownership).
const MAX_TEMPLATE_KEYS = 200

/** The keys of the templates saved or imported in this browser, by template id: they make them this person's (docs/templates.md, Ownership). */
export function templateKeys(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(read(KEYS.templateKeys) ?? '{}')
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
    return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'))
  } catch {
    return {}
  }
}

export function rememberTemplateKey(id: string, key: string): void {
  const kept = Object.entries({ ...templateKeys(), [id]: key }).slice(-MAX_TEMPLATE_KEYS)
  write(KEYS.templateKeys, JSON.stringify(Object.fromEntries(kept)))
}

export function forgetTemplateKey(id: string): void {
  const keys = templateKeys()
  delete keys[id]
  write(KEYS.templateKeys, JSON.stringify(keys))
}

/** The notes last copied on any board of this browser (board/note-clipboard.ts reads it), as JSON. */
export function copiedNotes(): string | null {
  return read(KEYS.copiedNotes)
}

export function rememberCopiedNotes(payload: string): void {
  write(KEYS.copiedNotes, payload)
}
