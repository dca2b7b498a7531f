import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { parseSuppressions } from '../../src/config/suppressions.ts';

const lines = (...text: string[]) => `${text.join('\n')}\n`;

describe('parseSuppressions', () => {
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
      error: /^suppressions mutes\.yaml line 2: suppressions\[0\]\.reason: /,
    },
    {
      name: 'an unknown field',
      text: lines('suppressions:', '  - reason: r', '    cheque: audit-error'),
      error: /line 2: suppressions\[0\]: Unrecognized key: "cheque"/,
    },
    {
      name: 'a date that is not YYYY-MM-DD',
      text: lines('suppressions:', '  - reason: r', '    check: audit-error', '    expires: "31/03/2027"'),
      error: /line 4: suppressions\[0\]\.expires: expected a date as YYYY-MM-DD/,
    },
    {
      name: 'an entry that would match everything',
      text: lines('suppressions:', '  - reason: r', '  - reason: s'),
      error: /line 2: suppressions\[0\]: expected at least one of check, account, region, cluster, resource/,
    },
    {
      name: 'text that is not YAML',
      text: lines('suppressions:', '  - reason: "unterminated', '    check: x'),
      error: /^suppressions mutes\.yaml line \d+: /,
    },
    { name: 'a list at the top', text: lines('- reason: r'), error: /line 1: document: .*expected object/ },
  ])('refuses $name, naming the line and field', ({ text, error }) => {
    // Act
    const parse = () => parseSuppressions(text, 'mutes.yaml');

    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(error);
  });
});
