// The user's Keycloak sign-in that Gatehouse keeps for an MCP client has ended (Keycloak refused
// the refresh: session ended, user disabled). Only the MCP client can mend that, by
// signing in again, so the gateway answers it as it answers a bad inbound token: 401 invalid_token
// with the resource metadata (gateway/handle-request.ts). A plain "unauthorized" AppError (a
// missing subject in Test connection) keeps its usual handling.
import { AppError, isAppError } from "@/lib/errors";

export class SignInEndedError extends AppError {
  /** A property, not only the class: Next's bundle and server.ts may load separate copies of this module. */
  readonly signInEnded = true;
  constructor(message: string) {
    super("unauthorized", message);
  }
}

export function isSignInEnded(e: unknown): e is SignInEndedError {
  return isAppError(e) && e.code === "unauthorized" && (e as { signInEnded?: unknown }).signInEnded === true;
}
