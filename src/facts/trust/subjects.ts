// The `sub` claims each kind of OIDC issuer puts in its tokens, split into the parts a security team reasons
// about: a scope (namespace, repository owner, top-level group, organization) and a name within it (service
// account, repository, project, workspace, pipeline), plus the rest (a ref, a run phase, a user).
//   EKS:       system:serviceaccount:<namespace>:<serviceaccount>     (Kubernetes names: DNS labels/subdomains)
//   GitHub:    repo:<owner>/<repo>:<ref:refs/heads/main | environment:prod | pull_request | ...>, or with immutable
//              ids, repo:<owner>@<owner-id>/<repo>@<repo-id>:...  (the default for repositories since July 2026)
//   GitLab:    project_path:<group>/<subgroups.../project>:ref_type:<branch|tag>:ref:<ref>
//   Terraform: organization:<org>:project:<project>:workspace:<workspace>:run_phase:<plan|apply>
//   Buildkite: organization:<org>:pipeline:<pipeline>:ref:<ref>:commit:<sha>:step:<step>
//   CircleCI:  org/<org-id>/project/<project-id>/user/<user-id>          (the org is also the issuer URL's)
//   Bitbucket: {<repository uuid>}[{<environment uuid>}]:{<step uuid>}   (the workspace is the issuer URL's)
// GitHub and GitLab also let an organisation customise the claim, so a subject that does not split is still
// one a token could carry there ("opaque"); an EKS token always carries the split form. The grammar of each, and
// what it means for a trust, is declared in the issuer table (src/model/issuers.ts).

import type { IssuerKind } from '../../naming/issuer-url.ts';
import { hasWildcard } from '../../text/glob.ts';

export type Span = readonly [start: number, end: number];

export interface SubjectSplit {
  scope: Span;
  name: Span;
  rest: Span;
}

/**
 * A claim STS takes as a condition key that names the workload the subject names: so a trust scoped by it is
 * evaluated, and its values seed the probes like `sub` values do. Either the subject spells it (GitHub's
 * `repository` is `<owner>/<repo>`: `value`), or it identifies the workload without being spelled there (a
 * repository's numeric id, the repository of a reusable workflow: `workloadOf`). The auditor cannot know such a
 * claim for a workload the policy names, so it is unknown there; a workload an attacker makes up (a wild part) has
 * one no policy names, unless a value leaves that part of the workload open to a wildcard.
 */
export type DerivedClaim = SpelledClaim | IdentifyingClaim;

export interface SpelledClaim {
  value(scope: string, name: string, rest: string): string;
  /** A `StringLike` subject pattern standing for every subject whose claim is `value`. */
  seed(value: string): string;
}

export interface IdentifyingClaim {
  /** The parts of a claim value naming the workload's scope and name: the id twice, a workflow's owner and repo. */
  workloadOf(value: string): readonly [scope: string, name: string];
  /** A subject pattern standing for the workload `value` identifies; its parts are named, not wild. */
  seed(value: string): string;
}

export interface SubjectScheme {
  /** The kind of grammar: `other` for subjects without one the auditor knows. */
  kind: 'eks' | 'github' | 'gitlab' | 'keyed' | 'bitbucket' | 'other';
  /** What the scope and name are called in messages, and names in the plural (`repositories`). */
  scopeNoun: string;
  nameNoun: string;
  nameNounPlural: string;
  /**
   * A subject built from fresh values, in the form tokens carry: the generic probe, whose separator-aligned pieces
   * are what wildcards are filled with. `values` are the policy's subject patterns, for a grammar with two forms.
   */
  template(fresh: () => string, values: readonly string[]): string;
  split(subject: string): SubjectSplit | undefined;
  /** Whether a token can carry this subject although it does not split (a customised claim). */
  opaqueIssuable(subject: string): boolean;
  build(scope: string, name: string, rest: string): string;
  /** How reports show a subject pattern: `ns:sa` for EKS, the whole claim otherwise. */
  render(scope: string, name: string, rest: string): string;
  /** The recommended `sub` value, with placeholders where the auditor cannot know the value. */
  recommendedSubject(scope?: string, name?: string): string;
  /** Characters that separate parts: where a wildcard may stop. */
  separators: string;
  /** Whether the issuer URL already fixes the scope (CircleCI's organization): a wild scope then widens nothing. */
  scopeFixedByIssuer?: boolean;
  /** The scope the issuer URL's path names, where it fixes one; its last segment unless said otherwise. */
  scopeOfIssuerPath?(path: string): string | undefined;
  /** Claims derived from the subject, by claim name. */
  derived?: Readonly<Record<string, DerivedClaim>>;
  /**
   * Whether a part's pattern holding a wildcard lets in parts of other names; by default any wildcard does. A
   * GitHub part's `@<id>` after a literal name does not: the name is one owner or repository, as without an id.
   */
  leavesNameOpen?(pattern: string): boolean;
}

const EKS_PREFIX = 'system:serviceaccount:';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const GITHUB_NAME = /^[A-Za-z0-9_.-]+$/;
/** A numeric id in real subjects; any letters too, so that fresh probe text may stand for every id. */
const GITHUB_ID = /^[A-Za-z0-9]+$/;
const GITLAB_SEGMENT = /^[A-Za-z0-9_.-]+$/;
const GITLAB_REF = /^ref_type:(branch|tag):ref:[^:]+$/;

/**
 * What follows `repo:<owner>/<repo>:` in a GitHub subject: `pull_request`, or `key:value` pairs (`ref:refs/...`,
 * `environment:prod`, and claims an organisation adds, such as `job_workflow_ref:...`), each key once and no
 * value holding a colon (git refs and environment names cannot). Without this, a wildcard could be read as
 * spanning into a ref and make a pattern for one repository name under any owner look like "every repository".
 */
function isGithubContext(rest: string): boolean {
  const tokens = rest.split(':');
  const keys = new Set<string>();
  for (let index = 0; index < tokens.length; ) {
    const key = tokens[index] ?? '';
    if (key === 'pull_request') {
      index += 1;
      continue;
    }
    const value = tokens[index + 1];
    if (!/^[a-z_]+$/.test(key) || key === 'repo' || keys.has(key) || !value) return false;
    if (key === 'ref' && !value.startsWith('refs/')) return false;
    keys.add(key);
    index += 2;
  }
  return tokens.length > 0;
}

/**
 * An owner or repository as a GitHub subject names it: `<name>`, or `<name>@<id>` in the immutable form (GitHub's
 * "immutable subject claims": `@` can appear in no name, so the two never collide). Undefined for neither.
 */
function githubName(text: string): { name: string; id: string | undefined } | undefined {
  const name = withoutId(text);
  const id = name === text ? undefined : text.slice(name.length + 1);
  if (!GITHUB_NAME.test(name) || (id !== undefined && !GITHUB_ID.test(id))) return undefined;
  return { name, id };
}

/** The name a GitHub subject part carries, without its immutable id: what the `repository` claim spells. */
function withoutId(text: string): string {
  const at = text.indexOf('@');
  return at === -1 ? text : text.slice(0, at);
}

export function isNamespaceName(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

export function isServiceAccountName(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

export const EKS_SUBJECTS: SubjectScheme = {
  kind: 'eks',
  scopeNoun: 'namespace',
  nameNoun: 'service account',
  nameNounPlural: 'service accounts',
  template: (fresh) => `${EKS_PREFIX}${fresh()}:${fresh()}`,
  split(subject) {
    if (!subject.startsWith(EKS_PREFIX)) return undefined;
    const rest = subject.slice(EKS_PREFIX.length);
    const colon = rest.indexOf(':');
    if (colon === -1 || rest.indexOf(':', colon + 1) !== -1) return undefined;
    const namespace = rest.slice(0, colon);
    const account = rest.slice(colon + 1);
    if (!isNamespaceName(namespace) || !isServiceAccountName(account)) return undefined;
    const start = EKS_PREFIX.length;
    return {
      scope: [start, start + colon],
      name: [start + colon + 1, subject.length],
      rest: [subject.length, subject.length],
    };
  },
  opaqueIssuable: () => false,
  build: (scope, name) => `${EKS_PREFIX}${scope}:${name}`,
  render: (scope, name) => `${scope}:${name}`,
  recommendedSubject: (scope, name) => `${EKS_PREFIX}${scope ?? '<namespace>'}:${name ?? '<serviceaccount>'}`,
  separators: ':',
};

export const GITHUB_SUBJECTS: SubjectScheme = {
  kind: 'github',
  scopeNoun: 'owner',
  nameNoun: 'repository',
  nameNounPlural: 'repositories',
  // The immutable form where a value spells an id (its pieces let a wildcard stand for an id as well as for a
  // name); else the name-only form, with fewer pieces to try: a pattern without `@` reaches the same owners and
  // repositories in either form.
  template: (fresh, values) =>
    values.some((value) => value.includes('@'))
      ? `repo:${fresh()}@${fresh()}/${fresh()}@${fresh()}:ref:refs/heads/${fresh()}`
      : `repo:${fresh()}/${fresh()}:ref:refs/heads/${fresh()}`,
  split(subject) {
    if (!subject.startsWith('repo:')) return undefined;
    const slash = subject.indexOf('/', 5);
    if (slash === -1) return undefined;
    const colon = subject.indexOf(':', slash);
    if (colon === -1 || colon === subject.length - 1) return undefined;
    const owner = githubName(subject.slice(5, slash));
    const repo = githubName(subject.slice(slash + 1, colon));
    // A token carries both ids or neither.
    if (!owner || !repo || (owner.id === undefined) !== (repo.id === undefined)) return undefined;
    if (!isGithubContext(subject.slice(colon + 1))) return undefined;
    return { scope: [5, slash], name: [slash + 1, colon], rest: [colon + 1, subject.length] };
  },
  // A customised claim starts with another field; one starting `repo:` that does not split is no claim at all.
  opaqueIssuable: (subject) => !subject.startsWith('repo:'),
  build: (scope, name, rest) => `repo:${scope}/${name}:${rest}`,
  render: (scope, name, rest) => `repo:${scope}/${name}:${rest}`,
  recommendedSubject: (scope, name) =>
    `repo:${scope ?? '<owner>'}/${name ?? '<repository>'}:ref:refs/heads/main`,
  separators: ':/@',
  leavesNameOpen: (pattern) => hasWildcard(withoutId(pattern)),
  // The keys STS exposes for GitHub that name a repository (docs/trust-policies.md gives the source). The others
  // (`environment`, `ref`, `workflow`, `actor`...) are the same in every repository, so they scope nothing.
  derived: {
    repository: {
      value: (scope, name) => `${withoutId(scope)}/${withoutId(name)}`,
      seed: (value) => `repo:${value}:*`,
    },
    // A repository by its id: the id stands in for both owner and name of the one repository it identifies.
    repository_id: {
      workloadOf: (value) => [value, value],
      seed: (value) => `repo:${value}/${value}:*`,
    },
    // `<owner>/<repo>/<path>@<ref>`: the repository whose reusable workflow ran the job.
    job_workflow_ref: {
      workloadOf: (value) => {
        const [owner = '', repo = ''] = value.split('/');
        return [owner, repo];
      },
      seed: (value) => {
        const [owner = '', repo = ''] = value.split('/');
        return `repo:${owner}/${repo}:*`;
      },
    },
  },
};

export const GITLAB_SUBJECTS: SubjectScheme = {
  kind: 'gitlab',
  scopeNoun: 'group',
  nameNoun: 'project',
  nameNounPlural: 'projects',
  template: (fresh) => `project_path:${fresh()}/${fresh()}:ref_type:branch:ref:${fresh()}`,
  split(subject) {
    const prefix = 'project_path:';
    if (!subject.startsWith(prefix)) return undefined;
    const colon = subject.indexOf(':', prefix.length);
    if (colon === -1 || colon === subject.length - 1) return undefined;
    const path = subject.slice(prefix.length, colon);
    const segments = path.split('/');
    if (segments.length < 2 || !segments.every((segment) => GITLAB_SEGMENT.test(segment))) return undefined;
    if (!GITLAB_REF.test(subject.slice(colon + 1))) return undefined;
    const slash = prefix.length + (segments[0]?.length ?? 0);
    return { scope: [prefix.length, slash], name: [slash + 1, colon], rest: [colon + 1, subject.length] };
  },
  opaqueIssuable: (subject) => !subject.startsWith('project_path:'),
  build: (scope, name, rest) => `project_path:${scope}/${name}:${rest}`,
  render: (scope, name, rest) => `project_path:${scope}/${name}:${rest}`,
  recommendedSubject: (scope, name) =>
    `project_path:${scope ?? '<group>'}/${name ?? '<project>'}:ref_type:branch:ref:main`,
  separators: ':/',
};

interface KeyedGrammar {
  /** The fixed keys in order; each is followed by its value. */
  keys: readonly string[];
  separator: string;
  /** Index of the key whose value is the scope, and of the last key whose value belongs to the name. */
  scopeKey: number;
  nameKeys: readonly [first: number, last: number];
  scopeNoun: string;
  nameNoun: string;
  nameNounPlural: string;
  /** Recommended values for the keys after the name, in order. */
  restExample: readonly string[];
  scopeFixedByIssuer?: boolean;
}

/**
 * Subjects made of fixed keys each followed by a value (`organization:<org>:pipeline:<pipeline>:...`): the scope
 * is one key's value, the name runs from one key's value to another's (Terraform's project and workspace), the
 * rest is every key after. A value holds no separator; an empty one only in the last place (Buildkite's step).
 */
function keyedScheme(grammar: KeyedGrammar): SubjectScheme {
  const { keys, separator: sep } = grammar;
  const [firstName, lastName] = grammar.nameKeys;
  const valueAt = (tokens: readonly string[], key: number) => tokens[2 * key + 1] ?? '';
  const join = (values: readonly string[], from: number) =>
    values.map((value, index) => `${keys[from + index]}${sep}${value}`).join(sep);
  const split = (subject: string): SubjectSplit | undefined => {
    const tokens = subject.split(sep);
    if (tokens.length !== keys.length * 2) return undefined;
    for (const [index, key] of keys.entries()) {
      const value = valueAt(tokens, index);
      if (tokens[2 * index] !== key || (value === '' && index !== keys.length - 1)) return undefined;
    }
    // Offsets of each value: keys and values are joined by one separator each.
    const starts: number[] = [];
    let offset = 0;
    for (const token of tokens) {
      starts.push(offset);
      offset += token.length + sep.length;
    }
    const start = (key: number) => starts[2 * key + 1] ?? 0;
    const end = (key: number) => start(key) + valueAt(tokens, key).length;
    return {
      scope: [start(grammar.scopeKey), end(grammar.scopeKey)],
      name: [start(firstName), end(lastName)],
      rest: [starts[2 * (lastName + 1)] ?? subject.length, subject.length],
    };
  };
  const build = (scope: string, name: string, rest: string) =>
    `${keys[grammar.scopeKey]}${sep}${scope}${sep}${keys[firstName]}${sep}${name}${sep}${rest}`;
  return {
    kind: 'keyed',
    scopeNoun: grammar.scopeNoun,
    nameNoun: grammar.nameNoun,
    nameNounPlural: grammar.nameNounPlural,
    template: (fresh) =>
      join(
        keys.map(() => fresh()),
        0,
      ),
    split,
    opaqueIssuable: () => false,
    build,
    render: build,
    recommendedSubject: (scope, name) => {
      const names = keys.slice(firstName, lastName + 1).map((key) => `<${key}>`);
      const nameText =
        name ??
        names
          .map((value, index) => (index === 0 ? value : `${keys[firstName + index]}${sep}${value}`))
          .join(sep);
      return build(scope ?? `<${keys[grammar.scopeKey]}>`, nameText, join(grammar.restExample, lastName + 1));
    },
    separators: sep,
    ...(grammar.scopeFixedByIssuer ? { scopeFixedByIssuer: true } : {}),
  };
}

export const TERRAFORM_SUBJECTS = keyedScheme({
  keys: ['organization', 'project', 'workspace', 'run_phase'],
  separator: ':',
  scopeKey: 0,
  nameKeys: [1, 2],
  scopeNoun: 'organization',
  nameNoun: 'workspace',
  nameNounPlural: 'workspaces',
  restExample: ['apply'],
});

export const BUILDKITE_SUBJECTS = keyedScheme({
  keys: ['organization', 'pipeline', 'ref', 'commit', 'step'],
  separator: ':',
  scopeKey: 0,
  nameKeys: [1, 1],
  scopeNoun: 'organization',
  nameNoun: 'pipeline',
  nameNounPlural: 'pipelines',
  restExample: ['refs/heads/main', '*', '*'],
});

export const CIRCLECI_SUBJECTS = keyedScheme({
  keys: ['org', 'project', 'user'],
  separator: '/',
  scopeKey: 0,
  nameKeys: [1, 1],
  scopeNoun: 'organization',
  nameNoun: 'project',
  nameNounPlural: 'projects',
  restExample: ['*'],
  scopeFixedByIssuer: true,
});

const BRACED_ID = /^\{[A-Za-z0-9-]+\}/;

/**
 * Bitbucket Pipelines: `{<repository uuid>}:{<step uuid>}`, the repository followed by its deployment environment
 * (`{<repository uuid>}{<environment uuid>}:...`) in a deployment step. The workspace is the issuer URL's, so the
 * scope is fixed and empty in the subject; the name is the repository (and environment), the rest the step. A
 * repository is the workload a team scopes to (as a GitHub repository is, whatever its ref): a pattern naming
 * one repository's uuid in full names one repository, whatever it leaves open after it.
 */
export const BITBUCKET_SUBJECTS: SubjectScheme = {
  kind: 'bitbucket',
  scopeNoun: 'workspace',
  nameNoun: 'repository',
  nameNounPlural: 'repositories',
  template: (fresh) => `{${fresh()}}:{${fresh()}}`,
  split(subject) {
    const colon = subject.indexOf(':');
    if (colon === -1 || subject.indexOf(':', colon + 1) !== -1) return undefined;
    const name = subject.slice(0, colon);
    const step = subject.slice(colon + 1);
    const repository = BRACED_ID.exec(name)?.[0];
    const environment = repository === undefined ? undefined : name.slice(repository.length);
    if (repository === undefined || (environment !== '' && !isBracedId(environment ?? ''))) return undefined;
    if (!isBracedId(step)) return undefined;
    return { scope: [0, 0], name: [0, colon], rest: [colon + 1, subject.length] };
  },
  opaqueIssuable: () => false,
  build: (_scope, name, rest) => `${name}:${rest}`,
  render: (_scope, name, rest) => `${name}:${rest}`,
  recommendedSubject: (_scope, name) => `${name ?? '{<repository uuid>}'}:*`,
  // A wildcard may stop inside braces too: `{6a5b*` ends a repository's uuid.
  separators: ':{}',
  scopeFixedByIssuer: true,
  scopeOfIssuerPath: (path) => /\/workspaces\/([^/]+)\//.exec(path)?.[1],
  leavesNameOpen: (pattern) => !BRACED_ID.test(pattern) || /^\{[^}]*[*?]/.test(pattern),
};

function isBracedId(text: string): boolean {
  return BRACED_ID.exec(text)?.[0] === text;
}

/** Any other OIDC issuer: its subjects have no structure the auditor knows. */
export const OPAQUE_SUBJECTS: SubjectScheme = {
  kind: 'other',
  scopeNoun: 'subject',
  nameNoun: 'subject',
  nameNounPlural: 'subjects',
  template: (fresh) => fresh(),
  split: () => undefined,
  opaqueIssuable: () => true,
  build: (scope) => scope,
  render: (scope) => scope,
  recommendedSubject: () => '<subject>',
  separators: ':/',
};

export function subjectScheme(kind: IssuerKind): SubjectScheme {
  switch (kind) {
    case 'eks':
    case 'eks-alias':
      return EKS_SUBJECTS;
    case 'github':
      return GITHUB_SUBJECTS;
    case 'gitlab':
    case 'gitlab-self-managed':
      return GITLAB_SUBJECTS;
    case 'terraform-cloud':
      return TERRAFORM_SUBJECTS;
    case 'buildkite':
      return BUILDKITE_SUBJECTS;
    case 'circleci':
      return CIRCLECI_SUBJECTS;
    case 'bitbucket':
      return BITBUCKET_SUBJECTS;
    default:
      return OPAQUE_SUBJECTS;
  }
}
