import { z } from 'zod';
import { livePageSchema, pageSignalSchema, groupInfoSchema } from '../ipc-contract';
import { SEVERITIES } from '../severity';
import type { LiveState, PagerInput } from './live-state';

const windowSchema = z.object({ endsAt: z.number(), rungSeverity: z.enum(SEVERITIES), held: z.array(z.string()) });
const heartbeatSchema = z.object({ key: z.string(), title: z.string(), status: z.enum(['firing', 'resolved']), lastSeenAt: z.number() });

/** The live state as written to pager-state.json. */
export const snapshotSchema = z.object({
  version: z.literal(1),
  seeded: z.boolean(),
  pages: z.array(livePageSchema),
  windows: z.array(z.tuple([z.string(), windowSchema])),
  heartbeats: z.array(heartbeatSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

const ackTargetSchema = z.union([
  z.object({ ids: z.array(z.string()) }),
  z.object({ groupKey: z.string() }),
  z.object({ all: z.literal(true) }),
]);

/** One line of the pager journal: an input, replayed through the reducer after the snapshot. */
export const pagerInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('signals'), at: z.number(), signals: z.array(pageSignalSchema), groups: z.array(groupInfoSchema) }),
  z.object({ type: z.literal('acknowledge'), at: z.number(), target: ackTargetSchema, by: z.string() }),
  z.object({ type: z.literal('unacknowledge'), at: z.number(), ids: z.array(z.string()), by: z.string() }),
  z.object({ type: z.literal('tick'), at: z.number() }),
  z.object({ type: z.literal('seed'), at: z.number(), pages: z.array(livePageSchema), done: z.boolean() }),
]);

/** Turns the state into plain JSON data. */
export function toSnapshot(state: LiveState): Snapshot {
  return {
    version: 1,
    seeded: state.seeded,
    pages: [...state.pages.values()],
    windows: [...state.windows.entries()],
    heartbeats: [...state.heartbeats.values()],
  };
}

/** Rebuilds the state from a validated snapshot. */
export function fromSnapshot(snapshot: Snapshot): LiveState {
  return {
    seeded: snapshot.seeded,
    pages: new Map(snapshot.pages.map((p) => [p.id, p])),
    windows: new Map(snapshot.windows),
    heartbeats: new Map(snapshot.heartbeats.map((h) => [h.key, h])),
  };
}

/** Parses one journal line's JSON value; null when it is not a pager input. */
export function parseInput(value: unknown): PagerInput | null {
  const parsed = pagerInputSchema.safeParse(value);
  return parsed.success ? (parsed.data as PagerInput) : null;
}
