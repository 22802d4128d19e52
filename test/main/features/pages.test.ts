import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAPPING } from '../../../src/core/severity';
import { INLINE_PARSE_BYTES, workerParser } from '../../../src/main/features/pages';
import { createImportService } from '../../../src/main/import/import-service';
import { HttpError } from '../../../src/main/services/webhook-listener';
import { firingWebhook } from '../../helpers/fixtures';

describe('webhook parsing off the event loop', () => {
  const imports = createImportService({ timeBudgetMs: 20_000, maxOldGenerationSizeMb: 1024 });
  afterAll(() => imports.stop());
  const calls: string[] = [];
  const run = ((kind: never, input: never) => {
    calls.push(kind);
    return imports.run(kind, input);
  }) as typeof imports.run;
  const counting = { run, stop: () => imports.stop() };
  const parse = workerParser(counting);
  const big = Buffer.from(JSON.stringify(firingWebhook(2_000, { kube: true })));

  it('parses a large group in the worker, a small one inline, with the same result', async () => {
    expect(big.length).toBeGreaterThan(INLINE_PARSE_BYTES);
    const fromWorker = await parse(big, DEFAULT_SEVERITY_MAPPING);
    expect(calls).toEqual(['alertmanager-webhook']);
    expect(fromWorker.signals).toHaveLength(2_000);
    expect(fromWorker.signals[1999]).toMatchObject({ id: 'alertmanager:fp0000000007cf', severity: 'P1', labels: { pod: expect.any(String) } });
    const small = await parse(Buffer.from(JSON.stringify(firingWebhook(3))), DEFAULT_SEVERITY_MAPPING);
    expect(calls).toHaveLength(1);
    expect(small.signals).toHaveLength(3);
  });

  it('keeps the HTTP meaning of a refusal made in the worker: 400 for broken JSON, 422 naming the field', async () => {
    const broken = Buffer.concat([big.subarray(0, big.length - 10)]);
    await expect(parse(broken, DEFAULT_SEVERITY_MAPPING)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^invalid JSON/) });
    const wrong = Buffer.from(JSON.stringify({ ...firingWebhook(2_000, { kube: true }), version: '3' }));
    const err = await parse(wrong, DEFAULT_SEVERITY_MAPPING).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 422, message: expect.stringMatching(/version/) });
  });
});
