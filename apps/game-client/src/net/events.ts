import type { ClientState } from "./state.js";

/** What scenes can subscribe to. `changed` carries the part of the state that moved. */
export interface NetEvents extends Record<string, unknown> {
  changed: keyof ClientState;
  toast: { text: string };
  error: { message: string };
}
