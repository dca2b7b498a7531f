// The ground floor: the words every stage of the flow speaks (config → scope → inventory → facts → checks →
// report → publish). Nothing here imports anything of the project.
export * from './audit-error.ts';
export * from './catalog.ts';
export type * from './connect-to.ts';
export * from './finding.ts';
export type * from './inventory.ts';
