// Which checks a suppression entry applies to: shared by the parser (src/config/suppressions.ts), which refuses
// entries that name no real check, and the matching (src/report/mute.ts), which indexes entries by check id. Kept
// apart from the parser so that the matching loads no YAML.

import { CHECK_IDS, type CheckId } from '../model/catalog.ts';
import { compileGlob } from '../text/glob.ts';

/**
 * The check ids an entry applies to: the one it names, or those its pattern matches, or every one without a check
 * matcher. `audit-error` (a blind spot) only when the entry names it exactly: no pattern hides a blind spot.
 */
export function checksOf(entry: { check?: string }): CheckId[] {
  if (entry.check === 'audit-error') return ['audit-error'];
  const test = entry.check === undefined ? () => true : compileGlob(entry.check);
  return CHECK_IDS.filter((id) => id !== 'audit-error' && test(id));
}
