import os from "node:os";
import { type Options, hash, verify } from "@node-rs/argon2";
import { WorkQueue } from "../ops/work-queue.js";

// OWASP's recommended Argon2id settings: 19 MiB memory, 2 iterations, 1 lane.
// `2` is Algorithm.Argon2id, a const enum that isolated modules cannot read.
const OPTIONS: Options = {
  algorithm: 2 as Options["algorithm"],
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/**
 * Every Argon2 computation in the process (accounts and room passwords) shares the CPU, so it
 * shares one bounded queue: about one hash per core at a time, a short line behind it (in count
 * and in expected wait), and a QueueFullError (503 `unavailable`) beyond that. buildApp sizes it
 * from the configuration.
 */
export const hashQueue = new WorkQueue(
  "password checks",
  os.availableParallelism(),
  4 * os.availableParallelism(),
);

export function configureHashing(limits: {
  hashConcurrency: number;
  hashQueue: number;
  hashMaxWaitMs: number;
}): void {
  hashQueue.concurrency = limits.hashConcurrency;
  hashQueue.maxWaiting = limits.hashQueue;
  hashQueue.maxWaitMs = limits.hashMaxWaitMs;
}

export function hashPassword(password: string): Promise<string> {
  return hashQueue.run(() => hash(password, OPTIONS));
}

let dummyHash: Promise<string> | null = null;

/**
 * Verifies against the stored hash, or against a throwaway hash when the user does not exist, so
 * that an unknown username costs the same time (and the same place in the queue) as a wrong
 * password. `priority` must never depend on whether the user exists.
 */
export async function verifyPassword(
  storedHash: string | null,
  password: string,
  priority = false,
): Promise<boolean> {
  if (storedHash === null) {
    // Computed once, outside the queue, so that it can never be refused.
    dummyHash ??= hash("not-a-real-password-but-the-same-cost", OPTIONS);
    const target = await dummyHash;
    await hashQueue.run(() => verify(target, password).catch(() => false), priority);
    return false;
  }
  return hashQueue.run(() => verify(storedHash, password).catch(() => false), priority);
}
