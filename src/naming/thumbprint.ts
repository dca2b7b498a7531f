/** IAM stores thumbprints as 40 lowercase hex characters; people paste them uppercase, with colons or spaces. */
export function normaliseThumbprint(raw: string): string {
  return raw.replace(/[\s:]/g, '').toLowerCase();
}
