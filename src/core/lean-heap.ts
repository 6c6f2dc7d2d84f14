/**
 * Keeps V8's young generation at its starting size (semi-spaces of 1 MiB) instead of letting it grow to 16 MiB.
 * Reading transcripts makes ~100 MB of objects that die at once (one JSON.parse per response line): a larger young
 * generation only holds more of that garbage. Measured on a 320 MB corpus: the same speed, a peak RSS 9 MB lower.
 * V8 reads this flag each time it would grow the young generation, so setting it at run time takes effect.
 */
import { setFlagsFromString } from 'node:v8';

export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
