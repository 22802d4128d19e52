import { main } from './electron/main';

main().catch((err: unknown) => {
  console.error('On-Call Companion failed to start:', err);
  process.exit(1);
});
