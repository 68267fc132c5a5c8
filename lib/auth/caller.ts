// Who is calling, in one shape for every entry point: route wrappers (session or bearer), pages and
// server actions (the session), and the gateway (an MCP client's token, which extends it with what
// the token says). The user id is the Gatehouse user's, never the identity provider's `sub`.
export interface Caller {
  userId: string;
  username: string | null;
  roles: string[];
  groups: string[];
  isAdmin: boolean;
}

/** The signed-in user: the one Caller, plus the names the portal shows. */
export interface SessionUser extends Caller {
  name: string | null;
  email: string | null;
}

/** The session's user as lib/auth/options.ts writes it into the session. */
export type SessionClaims = Omit<SessionUser, "userId"> & { id: string };

export function sessionCaller(claims: SessionClaims | undefined): SessionUser | null {
  if (!claims?.id) return null;
  const { id, ...rest } = claims;
  return { userId: id, ...rest };
}
