// A tiny typed event emitter for the sans-IO core (node:events is for the node/ layer only).

export type Listener<A extends unknown[]> = (...args: A) => void;

/** Event map: event name -> argument tuple. */
export type EventMap<E> = { [K in keyof E]: unknown[] };

type ListenerTable<E extends EventMap<E>> = { [K in keyof E]?: Array<Listener<E[K]>> };

export class Emitter<E extends EventMap<E>> {
  private readonly listeners: ListenerTable<E> = Object.create(null) as ListenerTable<E>;

  on<K extends keyof E>(event: K, fn: Listener<E[K]>): this {
    (this.listeners[event] ??= []).push(fn);
    return this;
  }

  once<K extends keyof E>(event: K, fn: Listener<E[K]>): this {
    const wrapper: Listener<E[K]> = (...args) => {
      this.off(event, wrapper);
      fn(...args);
    };
    return this.on(event, wrapper);
  }

  off<K extends keyof E>(event: K, fn: Listener<E[K]>): this {
    const list = this.listeners[event];
    const i = list ? list.indexOf(fn) : -1;
    if (i >= 0) list!.splice(i, 1);
    return this;
  }

  listenerCount(event: keyof E): number {
    return this.listeners[event]?.length ?? 0;
  }

  /** Calls every listener in order; a listener that throws stops the others and the error propagates. */
  protected emit<K extends keyof E>(event: K, ...args: E[K]): boolean {
    const list = this.listeners[event];
    if (!list || list.length === 0) return false;
    for (const fn of [...list]) fn(...args);
    return true;
  }
}
