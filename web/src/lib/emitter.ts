/** A small typed subscribe/notify: an object announces named events, each with its payload type. */

type Listener<T> = (payload: T) => void
/** The arguments of `emit`: none for a `void` event, the payload otherwise. */
type PayloadArgs<T> = [T] extends [void] ? [] : [T]

export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>()

  /** Calls `listener` on each `event`, in the order of subscription; returns the unsubscribe. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event)
    if (!set) {
      set = new Set()
      this.listeners.set(event, set)
    }
    set.add(listener as Listener<never>)
    return () => set.delete(listener as Listener<never>)
  }

  protected emit<K extends keyof Events>(event: K, ...args: PayloadArgs<Events[K]>): void {
    const set = this.listeners.get(event)
    if (!set) return
    for (const listener of [...set]) (listener as Listener<Events[K] | undefined>)(args[0])
  }
}
