import type { Settings, SettingsPatch } from "../../jobs/settings/settings-schema.ts";

/** The maker's settings (/api/v1/settings). */

export type SettingsResponse = Settings;
export type SettingsPatchRequest = SettingsPatch;
