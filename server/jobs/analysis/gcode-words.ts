/** `"G1 X10 Y-2.5 E.8"` → `{ X: 10, Y: -2.5, E: 0.8 }` (the first word, the code, is skipped). */
export function parseWords(command: string): Map<string, number> {
  const words = new Map<string, number>();
  const parts = command.split(" ");
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i] as string;
    if (part.length === 0) continue;
    const letter = part.charAt(0).toUpperCase();
    const value = part.length > 1 ? Number(part.slice(1)) : 0;
    if (Number.isFinite(value)) words.set(letter, value);
  }
  return words;
}
