/**
 * The budget preset a notebook runs with. `npm run notebooks -- --preset NAME` passes it through the
 * DISTILL_LAB_PRESET environment variable, so no notebook is edited to change budgets.
 */
export const PRESET_NAMES = ['smoke', 'quick', 'full', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Used when DISTILL_LAB_PRESET is unset, e.g. a notebook opened by hand in JupyterLab. */
export const DEFAULT_PRESET: PresetName = 'quick';

export function isPresetName(value: string): value is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(value);
}

/** The preset named by DISTILL_LAB_PRESET (default 'quick'); an unknown name is an error listing the valid ones. */
export function presetFromEnv(env: NodeJS.ProcessEnv = process.env): PresetName {
  const value = env.DISTILL_LAB_PRESET;
  if (value === undefined || value === '') return DEFAULT_PRESET;
  if (!isPresetName(value)) {
    throw new Error(
      `DISTILL_LAB_PRESET=${value} is not a preset; expected one of ${PRESET_NAMES.join(', ')} ` +
        `(e.g. npm run notebooks -- --preset smoke)`,
    );
  }
  return value;
}
