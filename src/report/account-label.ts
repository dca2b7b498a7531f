import { printable } from '../text/quote.ts';

/**
 * How people name an account in the table and the alert digest: `name (id)` when the organization gave it a name,
 * else the id. Names are set by account owners: printable, like every value from AWS (src/text/quote.ts).
 */
export function accountLabel(names: Readonly<Record<string, string>> | undefined, accountId: string): string {
  const name = names?.[accountId];
  return name ? `${printable(name)} (${printable(accountId)})` : printable(accountId);
}
