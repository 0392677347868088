/** "9 minutes", "2 hours", "3 days": how long is left, rounded up to the unit shown. */
export function timeLeft(until: Date, now = Date.now()): string {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now) / 1000));
  const units: [number, string][] = [
    [86_400, "day"],
    [3_600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size * 2 || (size === 60 && seconds >= 60)) {
      const count = Math.ceil(seconds / size);
      return `${count} ${name}${count === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}
