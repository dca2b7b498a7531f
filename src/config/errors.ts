import type * as z from 'zod';

/** Bad input: events, flags or environment. Its message names the field and what was expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** One line per problem: `<source> <field>: <what was expected>`. */
export function configErrorFrom(source: string, error: z.ZodError): ConfigError {
  const lines = error.issues.map((issue) => {
    const field =
      issue.path.length > 0
        ? issue.path
            .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`))
            .join('')
        : '(root)';
    return `${source} ${field}: ${issue.message}`;
  });
  return new ConfigError(lines.join('\n'));
}
