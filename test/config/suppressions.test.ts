import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { parseSuppressions } from '../../src/config/suppressions.ts';

const lines = (...text: string[]) => `${text.join('\n')}\n`;

describe('parseSuppressions', () => {
  it.each([
    ['a pattern of check ids', ['    check: "trust-*"']],
    ['every finding, said so', ['    all: true']],
    ['every check of one account', ['    check: "*"', '    account: "111122223333"']],
    ['a blind spot, named', ['    check: audit-error', '    account: "111122223333"']],
  ])('accepts an entry muting %s', (_name, matchers) => {
    // Prepare
    const text = lines('suppressions:', '  - reason: accepted (SEC-1)', ...matchers);

    // Act
    const parsed = parseSuppressions(text, 'mutes.yaml');

    // Assess
    expect(parsed.entries).toHaveLength(1);
  });

  it('reads entries with a reason, their matchers and an expiry date', () => {
    // Prepare
    const text = lines(
      'suppressions:',
      '  - reason: "CI shares this role by design"',
      '    check: trust-wildcard-sub',
      '    resource: "role/irsa/ci-*"',
      '    expires: 2027-03-31',
    );

    // Act
    const parsed = parseSuppressions(text, 'mutes.yaml');

    // Assess
    expect(parsed).toEqual({
      source: 'mutes.yaml',
      entries: [
        {
          reason: 'CI shares this role by design',
          check: 'trust-wildcard-sub',
          resource: 'role/irsa/ci-*',
          expires: '2027-03-31',
        },
      ],
    });
  });

  it.each([
    {
      name: 'an entry without a reason',
      text: lines(
        'suppressions:',
        '  - check: audit-error',
        '  - check: provider-missing',
        '    account: "1"',
      ),
      error:
        /^suppressions mutes\.yaml line 2: suppressions\[0\]\.reason: missing: every entry says why this risk is accepted/,
    },
    {
      name: 'an unknown field',
      text: lines('suppressions:', '  - reason: r', '    cheque: audit-error'),
      error:
        /line 3: suppressions\[0\]\.cheque: unknown field cheque; expected only reason, expires, all, check,/,
    },
    {
      name: 'a date that is not YYYY-MM-DD',
      text: lines('suppressions:', '  - reason: r', '    check: audit-error', '    expires: "31/03/2027"'),
      error: /line 4: suppressions\[0\]\.expires: expected a date as YYYY-MM-DD/,
    },
    {
      name: 'an entry that would match everything',
      text: lines('suppressions:', '  - reason: r', '  - reason: s'),
      error:
        /line 2: suppressions\[0\]: expected at least one of check, account, region, cluster, resource that narrows what it mutes/,
    },
    {
      name: 'text that is not YAML',
      text: lines('suppressions:', '  - reason: "unterminated', '    check: x'),
      error: /^suppressions mutes\.yaml line \d+: /,
    },
    {
      name: 'a list at the top',
      text: lines('- reason: r'),
      error: /line 1: document: expected a mapping with a `suppressions:` list at the top/,
    },
    {
      name: 'a misspelt check id',
      text: lines('suppressions:', '  - reason: r', '    account: "111122223333"', '    check: trust-nosub'),
      error:
        /^suppressions mutes\.yaml line 4: suppressions\[0\]\.check: expected a check id; trust-nosub is none \(did you mean trust-no-sub\?\)/,
    },
    {
      name: 'a check pattern that matches no check id',
      text: lines('suppressions:', '  - reason: r', '    check: "trsut-*"'),
      error: /line 3: suppressions\[0\]\.check: expected a pattern of check ids; trsut-\* matches none/,
    },
    {
      name: 'an entry of wildcards only, which would mute everything',
      text: lines('suppressions:', '  - reason: r', '    check: "*"', '    account: "*"'),
      error: /line 2: suppressions\[0\]: .*as written it mutes every finding of the audit; .*all: true/,
    },
    {
      name: 'a check pattern every check id matches',
      text: lines('suppressions:', '  - reason: r', '    check: "*-*"'),
      error: /line 2: suppressions\[0\]: .*as written it mutes every finding/,
    },
    {
      name: 'all: true on an entry that narrows',
      text: lines('suppressions:', '  - reason: r', '    all: true', '    account: "111122223333"'),
      error:
        /line 3: suppressions\[0\]\.all: all: true says this entry mutes every finding, but account narrows it/,
    },
    {
      name: 'an account id written as a YAML number',
      text: lines('suppressions:', '  - reason: r', '    account: 111122223333'),
      error: /line 3: suppressions\[0\]\.account: expected text: .*in quotes if it is a number/,
    },
    {
      name: 'a misspelt list name',
      text: lines('# accepted risks', 'suppression:', '  - reason: r', '    check: trust-no-sub'),
      error: /line 2: suppression: unknown field suppression \(did you mean suppressions\?\)/,
    },
    {
      name: 'a misspelt field',
      text: lines('suppressions:', '  - reason: r', '    check: trust-no-sub', '    acount: "1"'),
      error: /line 4: suppressions\[0\]\.acount: unknown field acount \(did you mean account\?\)/,
    },
    {
      name: 'a file without the list',
      text: lines('# nothing yet'),
      error: /suppressions: missing: the file holds a `suppressions:` list/,
    },
    {
      name: 'entries that are not a list',
      text: lines('suppressions:', '  reason: r'),
      error: /line 1: suppressions: expected a list of entries, each starting with `- reason: …`/,
    },
  ])('refuses $name, naming the line and field', ({ text, error }) => {
    // Act
    const parse = () => parseSuppressions(text, 'mutes.yaml');

    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(error);
  });
});
