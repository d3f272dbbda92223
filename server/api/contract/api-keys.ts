import type { ApiKeyInfo } from "../../auth/types.ts";

/** A user's API keys (/api/v1/api-keys, and an admin's /api/v1/users/:id/api-keys). */

/** `hint` is the first characters of the key (`lw_Ab3d…`); the key itself is never shown again. */
export type ApiKeyDto = ApiKeyInfo;

export interface ApiKeysResponse {
  apiKeys: ApiKeyDto[];
}

export interface CreateApiKeyRequest {
  /** 1 to 64 characters, e.g. "PrusaSlicer on the desk PC". */
  name: string;
}

/** The only response that ever contains the key. */
export interface CreatedApiKeyResponse {
  /** `lw_` + 43 characters; send as `X-Api-Key` or `Authorization: Bearer`. */
  key: string;
  apiKey: ApiKeyDto;
}
