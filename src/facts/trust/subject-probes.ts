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
// Limits, by design: wildcards beyond the second in one value are filled with fresh text only (but for a value
// ending in one, which is also tried as the end of a subject with every earlier wildcard fresh: the context of
// `repo:acme@*/app@*:*`), and where the subject has many parts the second one takes only pieces that start or end
// a subject.

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
const MAX_FILLINGS = 2000;
const MAX_PROBES = 4000;

type Source = { kind: 'text' } | { kind: 'star'; id: number } | { kind: 'one' };

/** A candidate subject, as stretches of text each remembering whether it came from the value or a wildcard. */
interface Instance {
  text: string;
  segments: ReadonlyArray<{ start: number; end: number; source: Source }>;
}

export function probesFor(scheme: SubjectScheme, seeds: readonly Seed[], options: ValueOptions): Probe[] {
  let counter = 0;
  const fresh = () => `${FRESH_MARK}${(++counter).toString(36)}x`;
  const template = scheme.template(
    fresh,
    seeds.map((seed) => seed.value),
  );
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
  harvest({
    text: template,
    segments: [{ start: 0, end: template.length, source: { kind: 'star', id: -1 } }],
  });
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

interface Fillers {
  /** Fresh text, nothing, or any separator-aligned piece of a real subject. */
  all: string[];
  /** The pieces that start or end a real subject: what a second wildcard in one value usually stands for. */
  edges: string[];
  /** The pieces that end a real subject: what a value's last wildcard stands for beyond the second. */
  ends: string[];
}

/** Text a wildcard may stand for. */
function fillersFrom(template: string, separators: string): Fillers {
  const cuts = new Set<number>([0, template.length]);
  for (let index = 0; index < template.length; index++) {
    if (separators.includes(template[index] ?? '')) {
      cuts.add(index);
      cuts.add(index + 1);
    }
  }
  const positions = [...cuts].sort((a, b) => a - b);
  const all = new Set<string>(['']);
  const edges = new Set<string>(['']);
  const ends = new Set<string>();
  for (const [i, start] of positions.entries()) {
    for (const end of positions.slice(i + 1)) {
      const piece = template.slice(start, end);
      all.add(piece);
      if (start === 0 || end === template.length) edges.add(piece);
      if (end === template.length) ends.add(piece);
    }
  }
  return { all: [...all], edges: [...edges], ends: [...ends] };
}

type Choice = { text: string; source: Source };

/** Every way of filling the value's wildcards; generated lazily, as a value with two stars has thousands. */
function* instancesOf(
  value: string,
  like: boolean,
  options: ValueOptions,
  fillers: Fillers,
  fresh: () => string,
): Generator<Instance> {
  const pieces = valuePieces(value, like, options);
  // Two wildcards over a rich subject (GitHub's has 14 cut points) would mean ~8,000 fillings per value: the
  // second one then takes only the pieces that start or end a subject (`*:default`, `repo:org/x:*`).
  const wide = fillers.all.length ** 2 > MAX_FILLINGS;
  let wildcards = 0;
  // For each piece, the (text, source) choices it offers; a star or a policy variable may hold any text.
  const choices = pieces.map((piece): Choice[] => {
    if (piece.kind === 'text') return [{ text: piece.text, source: { kind: 'text' } }];
    if (piece.kind === 'one') return [{ text: 'q', source: { kind: 'one' } }];
    const id = wildcards++;
    const texts =
      wildcards === 1 || (wildcards === 2 && !wide)
        ? [fresh(), ...fillers.all]
        : wildcards === 2
          ? [fresh(), ...fillers.edges]
          : [fresh()];
    return texts.map((text) => ({ text, source: { kind: 'star', id } }));
  });
  yield* fillings(choices);
  // A third wildcard or more is fresh text above, which ends no subject where the grammar wants a context after
  // the name (`repo:acme@*/app@*:*`): a value ending in a wildcard is tried once more, every earlier wildcard
  // fresh and the last one each end of a subject.
  const last = choices.at(-1)?.[0];
  if (wildcards < 3 || last?.source.kind !== 'star') return;
  yield* fillings([
    ...choices.slice(0, -1).map((options) => options.slice(0, 1)),
    [last, ...fillers.ends.map((text) => ({ text, source: last.source }))],
  ]);
}

/** Each combination of one choice per piece, as an odometer over the choices. */
function* fillings(choices: readonly Choice[][]): Generator<Instance> {
  const picked = choices.map(() => 0);
  while (true) {
    let text = '';
    const segments: Array<{ start: number; end: number; source: Source }> = [];
    for (const [index, options] of choices.entries()) {
      const choice = options[picked[index] ?? 0];
      if (!choice || choice.text === '') continue;
      segments.push({ start: text.length, end: text.length + choice.text.length, source: choice.source });
      text += choice.text;
    }
    yield { text, segments };
    // Advance the odometer over the choices; done when it wraps.
    let position = choices.length - 1;
    while (position >= 0 && (picked[position] ?? 0) + 1 >= (choices[position]?.length ?? 1)) {
      picked[position] = 0;
      position--;
    }
    if (position < 0) return;
    picked[position] = (picked[position] ?? 0) + 1;
  }
}

function partOf(instance: Instance, [start, end]: readonly [number, number]): Part {
  let pattern = '';
  let wild = false;
  for (const segment of instance.segments) {
    const from = Math.max(start, segment.start);
    const to = Math.min(end, segment.end);
    if (from >= to) continue;
    const { source } = segment;
    if (source.kind === 'text') {
      pattern += instance.text.slice(from, to);
      continue;
    }
    wild = true;
    // Each wildcard shows once, however many characters (or parts) its filler spans.
    pattern += source.kind === 'one' ? '?'.repeat(to - from) : '*';
  }
  const text = instance.text.slice(start, end);
  // A literal part's pattern is its text: one string, not two equal ones (the facts hold every role's parts).
  return { text, pattern: wild ? pattern : text, wild };
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
