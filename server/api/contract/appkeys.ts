import type { PendingRequest } from "../appkeys/app-key-requests.ts";

/**
 * Application-key requests a user decides in the dashboard (/api/v1/appkeys/pending): an app asked
 * through OctoPrint's app-keys flow (/plugin/appkeys), and approving gives it an ordinary API key.
 */

/** `user` null: the key will be the approver's. */
export type PendingAppKeyDto = PendingRequest;

/** The requests the signed-in user may decide (an admin: all), oldest first. */
export interface PendingAppKeysResponse {
  pending: PendingAppKeyDto[];
}
