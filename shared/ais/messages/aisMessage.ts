/**
 * Decoded AIS messages in gpsd's scaled AIS JSON (`class: "AIS"`, `scaled: true`): field names,
 * units and field order as gpsd and AIS-catcher print them, so a decoded line reads the same as
 * theirs. Values are reported as transmitted, "not available" sentinels included (lat 91, lon 181,
 * speed 102.3, course 360, heading 511); vesselPositionMapping.ts turns those into nulls before
 * anything reaches the features.
 *
 * Deliberate differences from gpsd 3.22 (README, AIS section): no `*_text` labels; type 27
 * `status` is the number (gpsd prints its label there) and its lon/lat keep their full 1/10 minute
 * resolution (gpsd rounds to 0.1 degree); type 24 `vendorid` is the 3-character manufacturer id of
 * ITU-R M.1371-5 (gpsd reads 7 characters over model and serial); types 18 and 21 carry `assigned`.
 */
export interface AisHeader {
  readonly class: 'AIS';
  readonly type: number;
  readonly repeat: number;
  readonly mmsi: number;
  readonly scaled: true;
}

/** Rate of turn, degrees per minute; gpsd's words for the special values. */
export type TurnRate = number | 'nan' | 'fastleft' | 'fastright';

/** Types 1, 2, 3: class A position report. */
export interface PositionReportClassA extends AisHeader {
  readonly type: 1 | 2 | 3;
  readonly status: number;
  readonly turn: TurnRate;
  /** knots; 102.3 = not available */
  readonly speed: number;
  readonly accuracy: boolean;
  /** degrees; 181 = not available */
  readonly lon: number;
  /** degrees; 91 = not available */
  readonly lat: number;
  /** degrees; 360 = not available */
  readonly course: number;
  /** degrees; 511 = not available */
  readonly heading: number;
  /** UTC second of the fix; 60 = not available, 61-63 = positioning system modes */
  readonly second: number;
  readonly maneuver: number;
  readonly raim: boolean;
  readonly radio: number;
}

/** Type 4: base station report. */
export interface BaseStationReport extends AisHeader {
  readonly type: 4;
  /** `YYYY-MM-DDTHH:MM:SSZ` as transmitted (0 fields = not available) */
  readonly timestamp: string;
  readonly accuracy: boolean;
  readonly lon: number;
  readonly lat: number;
  readonly epfd: number;
  readonly raim: boolean;
  readonly radio: number;
}

/** Type 5: class A static and voyage related data. */
export interface StaticVoyageData extends AisHeader {
  readonly type: 5;
  readonly imo: number;
  readonly ais_version: number;
  readonly callsign: string;
  readonly shipname: string;
  readonly shiptype: number;
  readonly to_bow: number;
  readonly to_stern: number;
  readonly to_port: number;
  readonly to_starboard: number;
  readonly epfd: number;
  /** `MM-DDTHH:MMZ` */
  readonly eta: string;
  /** metres */
  readonly draught: number;
  readonly destination: string;
  readonly dte: number;
}

/** Type 18: class B position report. */
export interface PositionReportClassB extends AisHeader {
  readonly type: 18;
  readonly reserved: number;
  readonly speed: number;
  readonly accuracy: boolean;
  readonly lon: number;
  readonly lat: number;
  readonly course: number;
  readonly heading: number;
  readonly second: number;
  readonly regional: number;
  readonly cs: boolean;
  readonly display: boolean;
  readonly dsc: boolean;
  readonly band: boolean;
  readonly msg22: boolean;
  readonly assigned: boolean;
  readonly raim: boolean;
  readonly radio: number;
}

/** Type 19: extended class B position report (position plus static data). */
export interface ExtendedPositionReportClassB extends AisHeader {
  readonly type: 19;
  readonly reserved: number;
  readonly speed: number;
  readonly accuracy: boolean;
  readonly lon: number;
  readonly lat: number;
  readonly course: number;
  readonly heading: number;
  readonly second: number;
  readonly regional: number;
  readonly shipname: string;
  readonly shiptype: number;
  readonly to_bow: number;
  readonly to_stern: number;
  readonly to_port: number;
  readonly to_starboard: number;
  readonly epfd: number;
  readonly raim: boolean;
  readonly dte: number;
  readonly assigned: boolean;
}

/** Type 21: aid-to-navigation report. */
export interface AidToNavigationReport extends AisHeader {
  readonly type: 21;
  readonly aid_type: number;
  /** name with the name extension appended */
  readonly name: string;
  readonly lon: number;
  readonly lat: number;
  readonly accuracy: boolean;
  readonly to_bow: number;
  readonly to_stern: number;
  readonly to_port: number;
  readonly to_starboard: number;
  readonly epfd: number;
  readonly second: number;
  readonly regional: number;
  readonly off_position: boolean;
  readonly raim: boolean;
  readonly virtual_aid: boolean;
  readonly assigned: boolean;
}

/** Type 24 part A: class B static data, name. */
export interface StaticDataReportA extends AisHeader {
  readonly type: 24;
  readonly part: 'A';
  readonly shipname: string;
}

/** Type 24 part B: class B static data, type, vendor, call sign and dimensions (or mother ship). */
export interface StaticDataReportB extends AisHeader {
  readonly type: 24;
  readonly part: 'B';
  readonly shiptype: number;
  readonly vendorid: string;
  readonly model: number;
  readonly serial: number;
  readonly callsign: string;
  /** dimensions for ordinary vessels ... */
  readonly to_bow?: number;
  readonly to_stern?: number;
  readonly to_port?: number;
  readonly to_starboard?: number;
  /** ... or the mother ship's MMSI for auxiliary craft (MMSI 98xxxxxxx) */
  readonly mothership_mmsi?: number;
}

/** Type 27: long-range position report (satellite AIS). */
export interface LongRangePositionReport extends AisHeader {
  readonly type: 27;
  readonly status: number;
  readonly accuracy: boolean;
  /** degrees at 1/10 minute resolution; 181 = not available */
  readonly lon: number;
  /** 91 = not available */
  readonly lat: number;
  /** knots, whole; 63 = not available */
  readonly speed: number;
  /** degrees, whole; 511 = not available */
  readonly course: number;
  readonly raim: boolean;
  readonly gnss: boolean;
}

export type AisMessage =
  | PositionReportClassA
  | BaseStationReport
  | StaticVoyageData
  | PositionReportClassB
  | ExtendedPositionReportClassB
  | AidToNavigationReport
  | StaticDataReportA
  | StaticDataReportB
  | LongRangePositionReport;
