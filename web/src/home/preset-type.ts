import type { SettingsResponse } from "../../../server/api/contract.ts";

export type TemperaturePresetDto = SettingsResponse["temperaturePresets"][number];
