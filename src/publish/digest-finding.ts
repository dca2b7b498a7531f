// What the digest adds to a finding beyond its own text: the symptom users see, from the check catalog (the finding
// carries its own message next to it), and the suppression entry to paste to accept the risk
// (docs/suppressions.md), with the finding's check, account and resource filled in and the reason left to write.

import { CATALOG } from '../model/catalog.ts';
import { printable } from '../text/quote.ts';
import type { AlertedFinding } from './alerted-finding.ts';

/** The catalog's symptom as plain text; none for a check this version no longer has (an old stored finding). */
export function catalogSymptom(check: string): string | undefined {
  const entry = (CATALOG as Record<string, { symptom: string } | undefined>)[check];
  return entry ? printable(entry.symptom.replaceAll('`', '')) : undefined;
}

/**
 * A YAML double-quoted scalar: JSON's string syntax is YAML's too, so quotes, backslashes, `#` and `: ` stay
 * inside the value. A value holding `*` or `?` becomes a pattern that still matches it (and no less).
 */
function yamlString(value: string): string {
  return JSON.stringify(printable(value));
}

/**
 * The entry to add under `suppressions:` to mute this finding: exact check, account and resource. `reason:` is left
 * empty on purpose: the file refuses an entry without one, so pasting it unread mutes nothing.
 */
export function suppressionEntry(
  finding: Pick<AlertedFinding, 'check' | 'accountId' | 'resource'>,
): string[] {
  return [
    `- check: ${yamlString(finding.check)}`,
    ...(finding.accountId === '' ? [] : [`  account: ${yamlString(finding.accountId)}`]),
    `  resource: ${yamlString(finding.resource)}`,
    '  reason:   # why this risk is accepted, and who accepted it (a ticket); expires: YYYY-MM-DD is optional',
  ];
}
