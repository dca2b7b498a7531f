/** An error as one line of an outcome or a log: its first line, named by the SDK's error name when it has one. */
export function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string };
  const text = (e?.message ?? String(error)).split('\n')[0] ?? '';
  return e?.name && e.name !== 'Error' && !text.startsWith(e.name) ? `${e.name}: ${text}` : text;
}
