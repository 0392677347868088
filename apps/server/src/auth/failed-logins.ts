/** How long a failed login marks its address as suspect. */
const SUSPECT_MS = 10 * 60_000;
/** Bounded memory: the oldest marks go first. */
const MAX_ADDRESSES = 50_000;

/**
 * Addresses that failed a login recently. A login from any other address (a returning player, a
 * first attempt) is checked in the password line's priority lane, so a flood of guesses from many
 * addresses, each failing, cannot push honest players out. It depends only on the address's own
 * history, never on whether the username exists.
 */
export class FailedLogins {
  private readonly marks = new Map<string, number>();

  suspect(address: string): boolean {
    const at = this.marks.get(address);
    if (at === undefined) return false;
    if (Date.now() - at < SUSPECT_MS) return true;
    this.marks.delete(address);
    return false;
  }

  failed(address: string): void {
    this.marks.delete(address);
    this.marks.set(address, Date.now());
    if (this.marks.size > MAX_ADDRESSES) {
      const oldest = this.marks.keys().next().value;
      if (oldest !== undefined) this.marks.delete(oldest);
    }
  }

  succeeded(address: string): void {
    this.marks.delete(address);
  }
}
