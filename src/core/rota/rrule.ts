import * as rruleModule from 'rrule';

type RRuleModule = typeof rruleModule;
const mod = rruleModule as RRuleModule & { default?: RRuleModule };

/**
 * rrule ships ESM for bundlers (Vite, vitest) but UMD as `main`, which plain Node ESM (tsx, the
 * bench) can only import as a default export. This picks whichever form arrived.
 */
export const RRule: RRuleModule['RRule'] = mod.RRule ?? mod.default!.RRule;
export type RRule = rruleModule.RRule;
export type RRuleOptions = rruleModule.Options;
