// A pod list's `fieldSelector`, as the API server reads it: terms joined by `,` that must all hold, each
// `field=value`, `field==value` or `field!=value`, on the fields the sandbox's pods carry. A field the API server
// does not index for pods is a 400 there ("field label not supported"), and here, as is one the sandbox does not
// model (spec.nodeName, status.podIP, …): a reader relying on it would not be tested by the sandbox.

import type { ServedPod } from './derive.ts';

const POD_FIELDS: Record<string, (pod: ServedPod) => string> = {
  'metadata.name': (pod) => pod.name,
  'metadata.namespace': (pod) => pod.namespace,
  'spec.serviceAccountName': (pod) => pod.serviceAccount,
  'status.phase': (pod) => pod.phase,
};

const TERM = /^([^=!]+)(==|=|!=)(.*)$/;

/** The pods a selector admits, or the 400 message the API server gives for it. */
export function podFieldSelector(
  selector: string | null,
): ((pod: ServedPod) => boolean) | { refused: string } {
  const terms: ((pod: ServedPod) => boolean)[] = [];
  for (const term of (selector ?? '').split(',').filter((part) => part !== '')) {
    const [, field = '', operator, value = ''] = TERM.exec(term) ?? [];
    if (operator === undefined) return { refused: `invalid field selector term: ${term}` };
    const read = POD_FIELDS[field.trim()];
    if (!read) return { refused: `field label not supported: ${field.trim()}` };
    terms.push(operator === '!=' ? (pod) => read(pod) !== value : (pod) => read(pod) === value);
  }
  return (pod) => terms.every((holds) => holds(pod));
}
