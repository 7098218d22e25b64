import { plantInputFields } from '../../../schemas/messages/plantTelemetry.js';
import { featureHash, type FeatureSpec } from '../featureSpec.js';

/**
 * Derived features appended after the 19 Gao inputs. Each pump group's affinity index,
 * running × (VFD speed)³, is its electric power in units of one pump at full speed: the network gets
 * the cube directly instead of having to learn it from two inputs.
 */
export const COOLING_DERIVED_FEATURES = [
  'process_water_pump_power_index',
  'condenser_water_pump_power_index',
] as const;

export const COOLING_FEATURE_NAMES: readonly string[] = [...plantInputFields, ...COOLING_DERIVED_FEATURES];

export const coolingFeatureSpec: FeatureSpec = {
  name: 'cooling-plant',
  version: 1,
  features: COOLING_FEATURE_NAMES,
  params: {
    /** a window of several samples is summarised by the mean of each per-sample feature */
    window_summary: 'mean',
    /** pump power ∝ speed^3 (affinity laws) */
    affinity_exponent: 3,
  },
};

export const coolingFeatureHash: string = featureHash(coolingFeatureSpec);
