import { invokeContract, type InvokeChannel, type RequestOf, type ResponseOf } from '../core/ipc-contract';
import { AppError, toErrorData, type IpcResult } from '../core/errors';
import { describeIssues } from '../core/validation';

/** One handler per contract channel, receiving the validated request. */
export type IpcHandlers = {
  [C in InvokeChannel]: (request: RequestOf<C>) => HandlerResult<ResponseOf<C>>;
};
type HandlerResult<R> = R extends undefined ? void | Promise<void> : R | Promise<R>;

/** A request that must not reach a handler: untrusted sender, unknown channel, invalid payload. */
export class IpcRejected extends AppError {}

/**
 * Validates sender and payload, then dispatches; shared by Electron's ipcMain and the e2e
 * transport. The reply is always an IpcResult, so the renderer gets a typed, translatable error
 * instead of Electron's "Error invoking remote method" wrapped around English text.
 */
export function createIpcRouter(handlers: IpcHandlers, isTrustedSender: (senderUrl: string) => boolean) {
  async function dispatch(channel: string, payload: unknown, senderUrl: string): Promise<unknown> {
    if (!isTrustedSender(senderUrl)) throw new IpcRejected('ipc.untrusted', { sender: senderUrl });
    if (!Object.hasOwn(invokeContract, channel)) throw new IpcRejected('ipc.unknownChannel', { channel });
    const c = channel as InvokeChannel;
    const parsed = invokeContract[c].request.safeParse(payload);
    if (!parsed.success) throw new IpcRejected('ipc.invalidPayload', { channel: c, issues: describeIssues(parsed.error) });
    const handler = handlers[c] as (r: unknown) => unknown;
    return handler(parsed.data);
  }
  return {
    channels: Object.keys(invokeContract) as InvokeChannel[],
    async handle(channel: string, payload: unknown, senderUrl: string): Promise<IpcResult<unknown>> {
      try {
        return { ok: true, value: await dispatch(channel, payload, senderUrl) };
      } catch (err) {
        return { ok: false, error: toErrorData(err) };
      }
    },
  };
}
export type IpcRouter = ReturnType<typeof createIpcRouter>;
