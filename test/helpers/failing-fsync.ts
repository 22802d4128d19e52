import { promises as fsp } from 'node:fs';
import { vi } from 'vitest';

/**
 * Makes every fsync through fs.promises (the journals' group commit) fail with EIO while `failing`
 * is true, as a dying disk does; writes themselves still land. `restore()` undoes it.
 */
export function failingFsync(): { failing: boolean; restore(): void } {
  const realOpen = fsp.open.bind(fsp);
  const control = { failing: true, restore: () => spy.mockRestore() };
  const spy = vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
    const handle = await realOpen(...args);
    const realSync = handle.sync.bind(handle);
    handle.sync = async () => {
      if (control.failing) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      return realSync();
    };
    return handle;
  });
  return control;
}
