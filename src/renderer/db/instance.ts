import { OnCallDb } from './database';

/** The renderer's database, opened once. */
export const db = new OnCallDb();
