// Request/reply over a child process's IPC channel, used by the bench between the orchestrator,
// the server under test and the client workers (all separate processes).
import type { ChildProcess } from "node:child_process";

export interface Request {
  id: number;
  cmd: string;
  [key: string]: unknown;
}

export interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/** Wraps a forked child: `call` sends a command and resolves with the child's reply. */
export function channel(child: ChildProcess) {
  let next = 1;
  const waiting = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  child.on("message", (message: Reply) => {
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.error) pending.reject(new Error(message.error));
    else pending.resolve(message.result);
  });
  child.on("exit", (code) => {
    for (const pending of waiting.values()) pending.reject(new Error(`child exited (${code})`));
    waiting.clear();
  });
  return {
    call<T = any>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.send({ id, cmd, ...args });
      });
    },
  };
}

/** In a child: answers each command with its handler's result (or its error message). */
export function serve(handlers: Record<string, (request: Request) => unknown>): void {
  process.on("message", async (request: Request) => {
    const handler = handlers[request.cmd];
    try {
      if (!handler) throw new Error(`unknown command ${request.cmd}`);
      const result = await handler(request);
      process.send?.({ id: request.id, result: result ?? null });
    } catch (error) {
      process.send?.({ id: request.id, error: String((error as Error)?.stack ?? error) });
    }
  });
  process.on("disconnect", () => process.exit(0));
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export const now = () => performance.timeOrigin + performance.now();
