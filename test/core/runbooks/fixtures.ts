import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseRunbook } from '../../../src/core/runbooks/parse';

/** The runbook fixtures folder. */
export const FIXTURES = path.resolve(__dirname, '../../fixtures/runbooks');

/** Reads and parses one fixture by its library path. */
export function fixture(rel: string) {
  return parseRunbook(readFileSync(path.join(FIXTURES, rel), 'utf8'), { path: rel });
}

/** The raw text of one fixture. */
export function fixtureText(rel: string): string {
  return readFileSync(path.join(FIXTURES, rel), 'utf8');
}
