/**
 * Masks whole words from a configured list, in any letter case: "Darn it" becomes "**** it".
 * Matching whole words only keeps innocent words that contain a listed one intact.
 */
export function wordMask(words: string[]): (text: string) => string {
  const cleaned = words.map((word) => word.trim()).filter((word) => word.length > 0);
  if (cleaned.length === 0) return (text) => text;
  const escaped = cleaned.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  // \p{L}\p{N} lookarounds instead of \b, so accented letters count as part of a word.
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${escaped.join("|")})(?![\\p{L}\\p{N}_])`, "giu");
  return (text) => text.replace(pattern, (match) => "*".repeat([...match].length));
}
