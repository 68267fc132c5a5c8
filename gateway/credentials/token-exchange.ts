// `token_exchange`: RFC 8693 at Keycloak. The subject is the caller's Keycloak access token (on a
// real call the inbound one, or for a caller with a Gatehouse-issued token a fresh one from their
// kept Keycloak sign-in; in Test connection the admin's own, when they sent it); the result is a
// token for the backend's audience, cached per backend and user.
import type { OutgoingMode } from "@/gateway/credentials/credential";
import { forgetIssuedTokens, issuedTokenCredential, tokenKey } from "@/gateway/credentials/issued-token";
import { AppError } from "@/lib/errors";
import { idpAccessTokenFor } from "@/lib/oauth-server/idp-refresh-token";

export const NO_SUBJECT_TOKEN = "A token exchange needs the caller's own Keycloak access token as its subject, and none was given.";

export const tokenExchange: OutgoingMode<"token_exchange"> = {
  credential(backend, auth, subject, deps) {
    if (!subject.token) return Promise.reject(new AppError("unauthorized", NO_SUBJECT_TOKEN));
    return issuedTokenCredential(backend, deps, {
      key: tokenKey(backend, subject.userId),
      identity: `user:${subject.userId}:exchange`,
      what: "the token exchange",
      // Built on a cache miss only.
      request: () => ({
        ...auth,
        subjectToken: subject.tokenKind === "gatehouse" ? () => idpAccessTokenFor(subject.userId) : subject.token,
      }),
    });
  },
  invalidate: forgetIssuedTokens,
  secrets: (auth) => [auth.clientSecret],
};
