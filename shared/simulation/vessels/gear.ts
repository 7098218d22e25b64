/** The gear classes, named as Global Fishing Watch names them. */
export const GEAR_CLASSES = ['trawlers', 'drifting_longlines', 'purse_seines', 'non_fishing'] as const;

export type GearClass = (typeof GEAR_CLASSES)[number];

export function isGearClass(value: string): value is GearClass {
  return (GEAR_CLASSES as readonly string[]).includes(value);
}
