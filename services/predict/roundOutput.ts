/**
 * Model outputs are float32; printed as doubles they show noise digits (0.8123456835746765).
 * Six decimals keep every digit float32 can vouch for near 1 and read cleanly; NaN stays NaN
 * (JSON.stringify prints it as null).
 */
export function roundOutput(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
