import * as fs from 'node:fs';
import { ImportError } from './errors';

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * Reads a file only if it is, after following links, a regular file of at most `maxBytes`: a
 * runbook linked to /dev/urandom or swapped for a FIFO is refused at once instead of read forever
 * (O_NONBLOCK: opening a FIFO must not hang either). Four system calls on the usual small file
 * (open, fstat, one read, close) through plain callbacks, where a promise FileHandle read with a
 * realpath and stat first costs seven round trips to the thread pool: a folder scan reads hundreds
 * of files while the workers are parsing, and main's thread is the one that pays for them.
 */
export function readBoundedFile(file: string, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    fs.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK, (openErr, fd) => {
      if (openErr) return reject(openErr);
      const done = (err: Error | null, bytes?: Uint8Array) => fs.close(fd, () => (err ? reject(err) : resolve(bytes!)));
      fs.fstat(fd, (statErr, stat) => {
        if (statErr) return done(statErr);
        if (!stat.isFile()) return done(new ImportError('imports.notRegularFile', { file }));
        if (stat.size > maxBytes) return done(new ImportError('imports.tooLarge', { megabytes: megabytes(maxBytes) }));
        // one byte more than the file should hold: a short read is the end of a regular file, a
        // full one means it grew since the stat, and reading goes on, still bounded
        let buf = Buffer.allocUnsafe(stat.size + 1);
        let total = 0;
        const more = () => {
          fs.read(fd, buf, total, buf.length - total, null, (readErr, n) => {
            if (readErr) return done(readErr);
            total += n;
            if (total > maxBytes) return done(new ImportError('imports.tooLarge', { megabytes: megabytes(maxBytes) }));
            if (total < buf.length) return done(null, new Uint8Array(buf.buffer, buf.byteOffset, total).slice());
            const grown = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
            buf.copy(grown, 0, 0, total);
            buf = grown;
            more();
          });
        };
        more();
      });
    });
  });
}
