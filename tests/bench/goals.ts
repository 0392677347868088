// Issue 11's goals, metric by metric: which scenario a number belongs to and how it is judged.
// Ratios are always Rally ÷ bare Socket.IO.

export interface Goal {
  scenario: string;
  metric: string;
  text: string;
  met?: (ratio: number, rally: number) => boolean;
}

const S = {
  storm: "connect storm: / + game server + channel",
  heap: "heap per player in a channel (after GC)",
  messages: "messages per client during the storm",
  fanout: "chat fan-out, burst into one channel",
  wave: "join wave into two channels",
  alert: "login alert to 100 online friends",
  churn: "room join/ready/leave churn",
  race: "200 players race for 3 seats during a storm",
};

export const GOALS: Goal[] = [
  { scenario: S.storm, metric: "connects/s", text: "≥ 0.7×", met: (r) => r >= 0.7 },
  { scenario: S.storm, metric: "CPU ms per connect", text: "≤ 1.5×", met: (r) => r <= 1.5 },
  { scenario: S.storm, metric: "handshake p50 ms", text: "" },
  { scenario: S.storm, metric: "connect+join p50 ms", text: "" },
  { scenario: S.storm, metric: "failed connects", text: "0", met: (_r, v) => v === 0 },
  { scenario: S.heap, metric: "heap per player KB", text: "≤ 1.3×", met: (r) => r <= 1.3 },
  { scenario: S.messages, metric: "messages per client (mean)", text: "flat in N (--scale)" },
  { scenario: S.messages, metric: "messages per client (max)", text: "flat in N (--scale)" },
  { scenario: S.fanout, metric: "fan-out deliveries/s", text: "≥ 0.9×", met: (r) => r >= 0.9 },
  { scenario: S.fanout, metric: "fan-out p95 ms", text: "" },
  { scenario: S.fanout, metric: "fan-out channel size", text: "" },
  { scenario: S.wave, metric: "join wave s", text: "≤ 1.5×", met: (r) => r <= 1.5 },
  { scenario: S.wave, metric: "join wave stall ms", text: "≤ 100 ms", met: (_r, v) => v <= 100 },
  { scenario: S.wave, metric: "CPU ms per join", text: "" },
  { scenario: S.wave, metric: "join wave messages per client", text: "" },
  { scenario: S.alert, metric: "login alert p50 ms", text: "≤ 1.2×", met: (r) => r <= 1.2 },
  { scenario: S.alert, metric: "login alert p95 ms", text: "≤ 1.2×", met: (r) => r <= 1.2 },
  { scenario: S.alert, metric: "login alert p99 ms", text: "≤ 50 ms", met: (_r, v) => v <= 50 },
  { scenario: S.alert, metric: "login alerts delivered", text: "all (1.0)", met: (_r, v) => v === 1 },
  { scenario: S.churn, metric: "room churn ops/s", text: "≥ 5,000 ops/s", met: (_r, v) => v >= 5000 },
  { scenario: S.churn, metric: "room churn p99 ms", text: "≤ 25 ms", met: (_r, v) => v <= 25 },
  { scenario: S.race, metric: "seat race winners", text: "exactly 3", met: (_r, v) => v === 3 },
];
