// Just enough XML writing for awsQuery and ec2Query responses; values are always escaped.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** `<name>value</name>`, or '' when the value is absent (the SDK treats a missing element as undefined). */
export function el(name: string, value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  return `<${name}>${esc(String(value))}</${name}>`;
}

/** An element whose content is already XML. */
export function raw(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

/** A non-flattened list: `<name><member>..</member>...</name>`. */
export function list<T>(
  name: string,
  items: readonly T[],
  item: (value: T) => string,
  member = 'member',
): string {
  let inner = '';
  for (const value of items) inner += `<${member}>${item(value)}</${member}>`;
  return `<${name}>${inner}</${name}>`;
}
