import { invokeContract, type InvokeChannel, type RequestOf, type ResponseOf } from '../core/ipc-contract';
import { describeIssues } from '../core/validation';

/** One handler per contract channel, receiving the validated request. */
export type IpcHandlers = {
  [C in InvokeChannel]: (request: RequestOf<C>) => HandlerResult<ResponseOf<C>>;
};
type HandlerResult<R> = R extends undefined ? void | Promise<void> : R | Promise<R>;

/** Thrown for a request that must not reach a handler. */
export class IpcRejected extends Error {}

/** Validates sender and payload, then dispatches; shared by Electron's ipcMain and the e2e transport. */
export function createIpcRouter(handlers: IpcHandlers, isTrustedSender: (senderUrl: string) => boolean) {
  return {
    channels: Object.keys(invokeContract) as InvokeChannel[],
    async handle(channel: string, payload: unknown, senderUrl: string): Promise<unknown> {
      if (!isTrustedSender(senderUrl)) throw new IpcRejected(`IPC from untrusted sender ${senderUrl}`);
      if (!Object.hasOwn(invokeContract, channel)) throw new IpcRejected(`unknown IPC channel ${channel}`);
      const c = channel as InvokeChannel;
      const parsed = invokeContract[c].request.safeParse(payload);
      if (!parsed.success) throw new IpcRejected(`invalid payload for ${c}: ${describeIssues(parsed.error)}`);
      const handler = handlers[c] as (r: unknown) => unknown;
      return handler(parsed.data);
    },
  };
}
export type IpcRouter = ReturnType<typeof createIpcRouter>;
