/**
 * One-time login links (`/login?once=<nonce>`): how the owner's browser gets the server's secret as a cookie without
 * the secret ever being in a URL, a command line or the browser's history. A link is printed to the owner's terminal,
 * or opened by `--open`; it works once, for LOGIN_LINK_TTL_MS. A new one comes from `tce dashboard --open`, which asks
 * the running server with the secret from its 0600 state file.
 */
import { createHash, randomBytes } from 'node:crypto';

export const LOGIN_LINK_TTL_MS = 10 * 60 * 1000;
/** Links not used yet; the oldest goes first when more are made. */
const MAX_OPEN_LINKS = 32;

const digest = (nonce: string) => createHash('sha256').update(nonce).digest('base64url');

export class LoginLinks {
  /** Digest of each unused nonce -> when it expires (digests: the lookup cannot leak the nonce by its timing). */
  private readonly open = new Map<string, number>();

  constructor(
    private readonly ttlMs = LOGIN_LINK_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new nonce for `/login?once=`. */
  mint(): string {
    this.prune();
    while (this.open.size >= MAX_OPEN_LINKS) this.open.delete(this.open.keys().next().value as string);
    const nonce = randomBytes(24).toString('base64url');
    this.open.set(digest(nonce), this.now() + this.ttlMs);
    return nonce;
  }

  /** True once for a nonce that was made here and has not expired; it is spent either way. */
  consume(nonce: string): boolean {
    const key = digest(nonce);
    const expires = this.open.get(key);
    this.open.delete(key);
    return expires !== undefined && expires > this.now();
  }

  private prune(): void {
    const now = this.now();
    for (const [key, expires] of this.open) if (expires <= now) this.open.delete(key);
  }
}
