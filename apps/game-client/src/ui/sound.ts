import type { Net } from "../net/client.js";
import type { Cue } from "../net/events.js";

/** Each cue as a few short notes: [frequency Hz, start s, length s]. Generated, so nothing to load. */
const NOTES: Record<Cue, [number, number, number][]> = {
  friend: [
    [660, 0, 0.09],
    [880, 0.09, 0.14],
  ],
  invite: [
    [523, 0, 0.1],
    [659, 0.1, 0.1],
    [784, 0.2, 0.18],
  ],
  ready: [[740, 0, 0.08]],
  start: [
    [392, 0, 0.12],
    [523, 0.14, 0.12],
    [784, 0.28, 0.3],
  ],
  mention: [
    [988, 0, 0.07],
    [988, 0.1, 0.07],
  ],
  tick: [[440, 0, 0.06]],
};

let context: AudioContext | null = null;

function play(cue: Cue): void {
  // Browsers only allow audio after a user gesture; until then a cue is silently skipped.
  context ??= new AudioContext();
  if (context.state === "suspended") void context.resume();
  const now = context.currentTime;
  for (const [frequency, start, length] of NOTES[cue]) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = "triangle";
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, now + start);
    gain.gain.exponentialRampToValueAtTime(0.18, now + start + 0.015);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + start + length);
    osc.connect(gain).connect(context.destination);
    osc.start(now + start);
    osc.stop(now + start + length + 0.02);
  }
}

/** Plays the network module's cues unless the player muted them (remembered in this browser). */
export function installSounds(net: Net): { played: Cue[] } {
  const played: Cue[] = [];
  net.bus.on("cue", (cue) => {
    if (net.state.muted) return;
    played.push(cue);
    try {
      play(cue);
    } catch {
      // No audio device: the game works without sound.
    }
  });
  return { played };
}
