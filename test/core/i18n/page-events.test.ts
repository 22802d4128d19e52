import { describe, expect, it } from 'vitest';
import { pageEventSchema } from '../../../src/core/ipc-contract';
import { resources } from '../../../src/core/i18n';

describe('page timeline texts', () => {
  // every kind main can deliver is shown on the detail pane's timeline: an untranslated kind would show its key
  it.each(['en', 'de'] as const)('every timeline event kind has a text in %s', (lang) => {
    const events = (resources[lang].translation as { pages: { events: Record<string, string> } }).pages.events;
    const missing = pageEventSchema.shape.kind.options.filter((kind) => typeof events[kind] !== 'string' || events[kind] === '');
    expect(missing).toEqual([]);
  });
});
