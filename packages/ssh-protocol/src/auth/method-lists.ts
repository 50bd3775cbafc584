// AuthenticationMethods lists with OpenSSH semantics (sshd_config(5)): access is granted once every method of
// one list has succeeded, in list order. Only the method at the head of a list may be tried next, and a success
// advances every list it heads. Lists that will never complete may stay; they simply keep offering their head.

export class MethodLists {
  private readonly lists: string[][];

  constructor(lists: readonly (readonly string[])[]) {
    this.lists = lists.filter((l) => l.length > 0).map((l) => [...l]);
  }

  /** RFC 4252 §5.1 "authentications that can continue": each list's next method, first seen first. */
  offered(): string[] {
    const out: string[] = [];
    for (const l of this.lists) if (l.length > 0 && !out.includes(l[0])) out.push(l[0]);
    return out;
  }

  allows(method: string): boolean {
    return this.lists.some((l) => l.length > 0 && l[0] === method);
  }

  /** Record that `method` succeeded; true when some list is now complete. */
  complete(method: string): boolean {
    let done = false;
    for (const l of this.lists) {
      if (l.length === 0 || l[0] !== method) continue;
      l.shift();
      if (l.length === 0) done = true;
    }
    return done;
  }
}
