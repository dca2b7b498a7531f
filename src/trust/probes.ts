// Representative subjects to run through the condition evaluator, so that "who can assume this role" is
// answered by the same code that answers "does this token get in", Deny statements included.
//
// Why probes are enough: the allowed set of subjects is a boolean combination of IAM globs over one string.
// A glob matches a string whose wildcard stretches hold fresh text (text that appears in no policy value)
// exactly when it matches "almost every" string of that shape; so instantiating each policy value's wildcards
// with fresh text, and crossing the parts found (namespaces with service accounts, owners with repositories),
// yields one probe per region of the subject space that the policy can tell apart. A wildcard filled with a
// fresh value marks the part "wild": it stands for every value an attacker may pick there (a namespace they
// create, a repository they own). Fillers also include the empty string and the separator-aligned pieces of a
// real subject, so a `*` may stand for `ns:sa` (`system:serviceaccount:*`) or for the prefix (`*:default`).
// Limits, by design: wildcards beyond the second in one value are filled with fresh text only.

import { type ValueOptions, valuePieces } from './conditions.ts';
import type { SubjectScheme } from './subjects.ts';

export interface Part {
  /** The concrete text the probe carries. */
  text: string;
  /** The text with wild stretches shown as `*` / `?`: how reports show it. */
  pattern: string;
  /** Whether any of it came from a wildcard, i.e. stands for text an attacker chooses. */
  wild: boolean;
}

export interface Probe {
  subject: string;
  /** Set when the subject splits under the scheme. */
  parts?: { scope: Part; name: Part; rest: Part };
  /** Set for subjects that do not split (custom GitHub/GitLab claims, other issuers): the whole subject. */
  whole?: Part;
}

export interface Seed {
  value: string;
  like: boolean;
  ignoreCase: boolean;
}

const FRESH_MARK = 'zq';
const MAX_FULL_WILDCARDS = 2;
const MAX_PROBES = 4000;

type Source = { kind: 'text' } | { kind: 'star'; id: number } | { kind: 'one' };

interface Instance {
  text: string;
  sources: Source[];
}

export function probesFor(scheme: SubjectScheme, seeds: readonly Seed[], options: ValueOptions): Probe[] {
  let counter = 0;
  const fresh = () => `${FRESH_MARK}${(++counter).toString(36)}x`;
  const template = scheme.template(fresh);
  const fillers = fillersFrom(template, scheme.separators);

  const scopes = new PartSet();
  const names = new PartSet();
  const rests = new PartSet();
  const wholes = new PartSet();

  const harvest = (instance: Instance) => {
    const split = scheme.split(instance.text);
    if (split) {
      scopes.add(partOf(instance, split.scope));
      names.add(partOf(instance, split.name));
      rests.add(partOf(instance, split.rest));
    } else if (instance.text !== '' && scheme.opaqueIssuable(instance.text)) {
      wholes.add(partOf(instance, [0, instance.text.length]));
    }
  };

  // The generic probe: every part wild.
  harvest({ text: template, sources: [...template].map((): Source => ({ kind: 'star', id: -1 })) });
  const any = fresh();
  if (scheme.opaqueIssuable(any)) {
    wholes.add({ text: any, pattern: '*', wild: true });
  }

  for (const seed of seeds) {
    const texts = seed.ignoreCase ? unique([seed.value, seed.value.toLowerCase()]) : [seed.value];
    for (const text of texts)
      for (const instance of instancesOf(text, seed.like, options, fillers, fresh)) harvest(instance);
  }

  const probes: Probe[] = [];
  for (const scope of scopes.values()) {
    for (const name of names.values()) {
      for (const rest of rests.values()) {
        if (probes.length >= MAX_PROBES) break;
        probes.push({
          subject: scheme.build(scope.text, name.text, rest.text),
          parts: { scope, name, rest },
        });
      }
    }
  }
  for (const whole of wholes.values()) probes.push({ subject: whole.text, whole });
  return probes;
}

/** Whether a part's concrete text came from fresh filler: the generic stand-in for "anything here". */
export function isFresh(part: Part): boolean {
  return part.wild && part.text.includes(FRESH_MARK);
}

// ---------------------------------------------------------------------------------------------------------------

/** Text a wildcard may stand for: fresh text, nothing, or a separator-aligned piece of a real subject. */
function fillersFrom(template: string, separators: string): string[] {
  const cuts = new Set<number>([0, template.length]);
  for (let index = 0; index < template.length; index++) {
    if (separators.includes(template[index] ?? '')) {
      cuts.add(index);
      cuts.add(index + 1);
    }
  }
  const positions = [...cuts].sort((a, b) => a - b);
  const pieces = new Set<string>(['']);
  for (const [i, start] of positions.entries()) {
    for (const end of positions.slice(i + 1)) pieces.add(template.slice(start, end));
  }
  return [...pieces];
}

function instancesOf(
  value: string,
  like: boolean,
  options: ValueOptions,
  fillers: readonly string[],
  fresh: () => string,
): Instance[] {
  const pieces = valuePieces(value, like, options);
  let instances: Instance[] = [{ text: '', sources: [] }];
  let wildcards = 0;
  for (const piece of pieces) {
    if (piece.kind === 'text') {
      instances = instances.map((instance) => append(instance, piece.text, { kind: 'text' }));
    } else if (piece.kind === 'one') {
      instances = instances.map((instance) => append(instance, 'q', { kind: 'one' }));
    } else {
      // A star, or a policy variable: either may hold any text the caller controls.
      const id = wildcards++;
      const options = wildcards <= MAX_FULL_WILDCARDS ? [fresh(), ...fillers] : [fresh()];
      instances = instances.flatMap((instance) =>
        options.map((filler) => append(instance, filler, { kind: 'star', id })),
      );
    }
  }
  return instances;
}

function append(instance: Instance, text: string, source: Source): Instance {
  return { text: instance.text + text, sources: [...instance.sources, ...[...text].map(() => source)] };
}

function partOf(instance: Instance, [start, end]: readonly [number, number]): Part {
  const text = instance.text.slice(start, end);
  let pattern = '';
  let wild = false;
  let previous: Source | undefined;
  for (let index = start; index < end; index++) {
    const source = instance.sources[index] ?? { kind: 'text' };
    if (source.kind === 'text') pattern += instance.text[index] ?? '';
    else if (source.kind === 'one') pattern += '?';
    else if (!(previous?.kind === 'star' && previous.id === source.id)) pattern += '*';
    if (source.kind !== 'text') wild = true;
    previous = source;
  }
  return { text, pattern, wild };
}

/**
 * Parts deduplicated: literal parts by text; wild parts by pattern, keeping a fresh-filled instance where there
 * is one (`team-*` is represented by `team-zq3x`, not by `team-system`).
 */
class PartSet {
  readonly #byKey = new Map<string, Part>();

  add(part: Part): void {
    const key = part.wild ? `w\u0000${part.pattern}` : `l\u0000${part.text}`;
    const current = this.#byKey.get(key);
    if (current === undefined || (!isFresh(current) && isFresh(part))) this.#byKey.set(key, part);
  }

  values(): Part[] {
    return [...this.#byKey.values()];
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
