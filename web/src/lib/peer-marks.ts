/** Colours and initials that tell people apart on the board (cursors, presence list). */

// Dark enough for white text on them (WCAG AA for the name tags), and distinct from one another.
const PEER_COLORS = ['#b3261e', '#00696f', '#9c4a00', '#2c5c8f', '#6a4c93', '#1e6b4a', '#a0185b', '#5d4037', '#3d405b', '#005f8c']

export function peerColor(participantId: string): string {
  let hash = 0
  for (let i = 0; i < participantId.length; i++) hash = (hash * 31 + participantId.charCodeAt(i)) >>> 0
  return PEER_COLORS[hash % PEER_COLORS.length] as string
}

/**
 * Up to two capital letters for an avatar, from the first and last words that hold a letter.
 * Brackets, digits and signs are skipped: "Claire (anim)" is "CA", never "C(".
 */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).map((word) => word.match(/\p{L}/u)?.[0]).filter((letter) => letter !== undefined)
  const first = words[0]
  if (first === undefined) return '?'
  const last = words.length > 1 ? words[words.length - 1] : undefined
  return `${first}${last ?? ''}`.toLocaleUpperCase()
}
