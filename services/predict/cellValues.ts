/**
 * CSV cells are text; the message schemas take JSON types. These turn a cell into what a JSON
 * publisher would have sent, so the same zod schema validates CSV rows and MQTT messages.
 */

/** a number, or the cell unchanged so the schema reports the bad text; empty becomes undefined */
export function numberCell(cell: string | undefined): number | string | undefined {
  const text = cell?.trim();
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** unix seconds when numeric, else the text (ISO 8601 is checked by the schema) */
export function timeCell(cell: string | undefined): number | string | undefined {
  const text = cell?.trim();
  if (text === undefined || text === '') return undefined;
  return /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

export function textCell(cell: string | undefined): string | undefined {
  const text = cell?.trim();
  return text === undefined || text === '' ? undefined : text;
}
