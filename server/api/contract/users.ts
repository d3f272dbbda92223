import type { Role } from "../../auth/roles.ts";
import type { User } from "../../auth/types.ts";
import type { SessionResponse } from "./session.ts";

/** Users and passwords (/api/v1/users, /api/v1/auth/password). */

/** `createdAt` in ms since the epoch; a `disabled` user cannot log in, their sessions end, their API keys are refused. */
export type UserDto = User;

export interface UsersResponse {
  users: UserDto[];
}

export interface CreateUserRequest {
  name: string;
  /** 8 to 1024 characters. */
  password: string;
  role: Role;
}

/** At least one field. Demoting, disabling or deleting the last enabled admin is a 409. */
export interface UpdateUserRequest {
  role?: Role;
  disabled?: boolean;
}

/** An admin sets a user's password; every session of that user ends, their API keys stay. */
export interface ResetPasswordRequest {
  password: string;
}

/** A user changes their own password; wrong `currentPassword` is a 403 (throttled like login). */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

/** Other sessions of the user end; a cookie session is replaced by a new one (new cookie and CSRF token). */
export interface ChangePasswordResponse {
  /** Null when the request was made with an API key. */
  session: SessionResponse | null;
}
