import { z } from "zod";

/** Requests that take no payload accept none, null (what `emit(event, undefined, ack)` sends) or {}. */
export const emptyPayload = z.union([z.undefined(), z.null(), z.object({})]);
