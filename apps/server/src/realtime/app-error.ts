import type { ErrorCode } from "@rally/protocol";

/** A refusal the client is meant to see: its code and message go into the reply as they are. */
export class AppError extends Error {
  /** For rate_limited: when the same request can succeed again. */
  retryAfterMs?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
