import * as z from 'zod';
import { configErrorFrom } from './errors.ts';
import type { ConfigInput } from './input.ts';
import { accountsInput, regionsInput } from './schema.ts';

// README "The Lambda" (events): strict, so a typo such as `dryrun` stops the run instead of being ignored.
const eventSchema = z.discriminatedUnion('trigger', [
  z.strictObject({ trigger: z.literal('schedule') }),
  z.strictObject({
    trigger: z.literal('manual'),
    accounts: accountsInput.optional(),
    regions: regionsInput.optional(),
    dryRun: z.boolean().optional(),
  }),
]);

export type AuditEvent = z.infer<typeof eventSchema>;

export interface EventInput {
  trigger: 'schedule' | 'manual';
  input: ConfigInput;
  dryRun: boolean;
}

export function inputFromEvent(event: unknown): EventInput {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) throw configErrorFrom('event field', parsed.error);
  const e = parsed.data;
  if (e.trigger === 'schedule') return { trigger: 'schedule', input: {}, dryRun: false };
  return {
    trigger: 'manual',
    input: { accounts: e.accounts, regions: e.regions },
    dryRun: e.dryRun ?? false,
  };
}
