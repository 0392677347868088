// What both servers under test report about their own process: CPU, heap after a full GC, and
// the longest event-loop stall since the last reset. Run with --expose-gc.
import { monitorEventLoopDelay } from "node:perf_hooks";
import v8 from "node:v8";

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

export interface ServerStats {
  cpuMs: number;
  heapUsed: number;
  loopMaxMs: number;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run the server with --expose-gc");
  // Two passes: the first may only queue finalizers that free more.
  gc();
  gc();
}

export function stats(withGc: boolean): ServerStats {
  // CPU is read before the collection so the bench's own GC is not billed to the scenario.
  const cpu = process.cpuUsage();
  if (withGc) collectGarbage();
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapUsed: v8.getHeapStatistics().used_heap_size,
    loopMaxMs: loop.max / 1e6,
  };
}

export function resetLoop(): void {
  loop.reset();
}
