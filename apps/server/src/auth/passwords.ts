import { type Options, hash, verify } from "@node-rs/argon2";

// OWASP's recommended Argon2id settings: 19 MiB memory, 2 iterations, 1 lane.
// `2` is Algorithm.Argon2id, a const enum that isolated modules cannot read.
const OPTIONS: Options = {
  algorithm: 2 as Options["algorithm"],
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummyHash: Promise<string> | null = null;

/**
 * Verifies against the stored hash, or against a throwaway hash when the user does not exist, so
 * that an unknown username costs the same time as a wrong password.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hashPassword("not-a-real-password-but-the-same-cost");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
