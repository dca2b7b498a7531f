import * as z from 'zod';
import { configErrorFrom } from './errors.ts';
import { AUDIT_OPTIONS, type ConfigInput } from './options.ts';
import { fieldsOf, shapeOf } from './read-options.ts';

// README "The Lambda" (events): strict, so a typo such as `dryrun` stops the run instead of being ignored.
const eventSchema = z.discriminatedUnion('trigger', [
  z.strictObject({ trigger: z.literal('schedule') }),
  z.strictObject({
    trigger: z.literal('manual'),
    ...shapeOf(AUDIT_OPTIONS, 'event'),
    dryRun: z.boolean().optional(),
  }),
]);

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
    input: fieldsOf(AUDIT_OPTIONS, 'event', e),
    dryRun: e.dryRun === true,
  };
}
