import * as z from 'zod';
import { configErrorFrom } from './errors.ts';
import type { ConfigInput } from './input.ts';
import { OPTIONS } from './options.ts';
import { fieldsOf, shapeOf } from './read-options.ts';

// README "The Lambda" (events): strict, so a typo such as `dryrun` stops the run instead of being ignored.
const eventSchema = z.discriminatedUnion('trigger', [
  z.strictObject({ trigger: z.literal('schedule') }),
  z.strictObject({
    trigger: z.literal('manual'),
    ...shapeOf(OPTIONS, 'event'),
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
    // Only rows of ConfigInput's fields name an event field.
    input: fieldsOf(OPTIONS, 'event', e) as ConfigInput,
    dryRun: e.dryRun === true,
  };
}
