/** Pictures given to the canvas: image files dropped on it make image notes where they fall (pasted ones: clipboard-input.ts). */
import type { BoardCanvas } from './canvas'
import type { NoteActions } from './note-actions'
import { toBoard } from './viewport'

/** The image files a paste or a drop carries (a screenshot, a copied picture, files from the desktop). */
export function imageFiles(data: DataTransfer | null): File[] {
  if (!data) return []
  return Array.from(data.files).filter((file) => file.type.startsWith('image/'))
}

function carriesFiles(data: DataTransfer | null): boolean {
  return data !== null && Array.from(data.types).includes('Files')
}

export class ImageInput {
  constructor(private readonly canvas: BoardCanvas, private readonly actions: NoteActions) {
    const el = canvas.el
    el.addEventListener('dragover', (event) => {
      if (!carriesFiles(event.dataTransfer) || !actions.canWrite()) return
      event.preventDefault()
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    })
    el.addEventListener('drop', (event) => {
      if (!carriesFiles(event.dataTransfer)) return
      // Never let the browser open the file in place of the board.
      event.preventDefault()
      const files = imageFiles(event.dataTransfer)
      if (files.length === 0) return
      const box = el.getBoundingClientRect()
      const at = toBoard(this.canvas.view, event.clientX - box.left, event.clientY - box.top)
      for (const file of files) this.actions.addImage(file, at, true)
    })
  }
}
