// `client_credentials`: a service token from an OAuth token endpoint, one for every caller, cached
// per backend until shortly before it expires.
import { SERVICE_IDENTITY, type OutgoingMode } from "@/gateway/credentials/credential";
import { forgetIssuedTokens, issuedTokenCredential, tokenKey } from "@/gateway/credentials/issued-token";

export const clientCredentials: OutgoingMode<"client_credentials"> = {
  credential: (backend, auth, _subject, deps) =>
    issuedTokenCredential(backend, deps, {
      key: tokenKey(backend, ""),
      identity: SERVICE_IDENTITY,
      what: "the client credentials grant",
      request: auth,
    }),
  invalidate: forgetIssuedTokens,
  secrets: (auth) => [auth.clientSecret],
};
