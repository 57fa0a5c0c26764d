/** A participant's `private` document (docs/protocol.md section 7.2), opened on demand and synced like the shared ones. */
// Opted into by sending our sync step 1 for it; then handshake after each `welcome`, acknowledged
// writes, resync after a refusal. Observers and facilitators never open it.
import type { FrameChannel } from './connection'
import { DocSync, type DocSyncHooks } from './doc-sync'
import { DocName } from './protocol'

export class PrivateDoc {
  private sync: DocSync | null = null

  constructor(private readonly channel: FrameChannel, private readonly hooks: DocSyncHooks) {}

  get current(): DocSync | null {
    return this.sync
  }

  /**
   * Opts in (once). Called from a status listener: the DocSync is made after the listeners of this
   * status have run, so its own listener does not also answer the same `welcome`.
   */
  open(): void {
    if (this.sync) return
    queueMicrotask(() => {
      if (this.sync) return
      this.sync = new DocSync(this.channel, DocName.PRIVATE, this.hooks)
      this.hooks.onReplaced?.(this.sync.doc, this.sync.doc)
      this.sync.start()
    })
  }

  destroy(): void {
    this.sync?.destroy()
    this.sync = null
  }
}
