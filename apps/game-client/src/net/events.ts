import type { ClientState } from "./state.js";

/** Short sound cues; the sound module decides how each one sounds, and whether it plays. */
export type Cue = "friend" | "invite" | "ready" | "start" | "mention" | "tick";

/** What scenes can subscribe to. `changed` carries the part of the state that moved. */
export interface NetEvents extends Record<string, unknown> {
  changed: keyof ClientState;
  cue: Cue;
  /** Another player's avatar moved (positions are too frequent for the shared state). */
  moved: { userId: string; x: number; y: number };
}
