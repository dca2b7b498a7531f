// Opaque page tokens bound to the listing they came from: a token replayed against another operation,
// account or region is rejected, as AWS does, which catches clients that mix paginators up.

export function pageToken(scope: string, offset: number): string {
  return Buffer.from(`${scope}|${offset}`).toString('base64url');
}

/** The offset a token stands for, or undefined when it was not issued for this scope. */
export function pageOffset(scope: string, token: string): number | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const bar = text.lastIndexOf('|');
  if (bar === -1 || text.slice(0, bar) !== scope) return undefined;
  const offset = Number(text.slice(bar + 1));
  return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

export interface Page<T> {
  items: T[];
  next: string | undefined;
}

export function paginate<T>(all: readonly T[], scope: string, offset: number, size: number): Page<T> {
  const items = all.slice(offset, offset + size);
  const end = offset + items.length;
  return { items, next: end < all.length ? pageToken(scope, end) : undefined };
}
