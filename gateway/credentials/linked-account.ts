// `linked_account`: the subject's own token for one provider, from the token broker, which keeps it
// fresh (refresh ahead of expiry, serialized across replicas) and forgets it when the link changes.
// No usable link: AppError("link_required"), which a real call turns into the link request.
import { bearer, type Credential, type OutgoingMode } from "@/gateway/credentials/credential";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { AppError, clientError, isAppError } from "@/lib/errors";
import type { AccessToken } from "@/lib/links/get-access-token";

// One credential per token the broker hands out (the same object while it is cached): none per call.
const credentials = new WeakMap<AccessToken, Credential>();

export const linkedAccount: OutgoingMode<"linked_account"> = {
  credential(backend, auth, subject, deps) {
    const credentialOf = (link: AccessToken): Credential => {
      let credential = credentials.get(link);
      if (!credential)
        credentials.set(link, (credential = { headers: bearer(link.accessToken), identity: `user:${subject.userId}:link:${link.linkId}` }));
      return credential;
    };
    let link: AccessToken | Promise<AccessToken>;
    try {
      link = deps.linkToken({ userId: subject.userId, providerId: auth.providerId });
    } catch (thrown) {
      return Promise.reject(unreadable(backend, auth.providerName, thrown));
    }
    if (!(link instanceof Promise)) return credentialOf(link);
    return link.then(credentialOf, (thrown: unknown) => Promise.reject(unreadable(backend, auth.providerName, thrown)));
  },
  // The token broker's cache follows link and provider changes itself.
  invalidate: () => undefined,
  secrets: () => [],
};

function unreadable(backend: RuntimeBackend, providerName: string, thrown: unknown): Error {
  // The database down: a retryable "unavailable" that carries none of the driver's text.
  const e = clientError(thrown);
  if (isAppError(e)) return e;
  return new AppError(
    "upstream",
    `Backend "${backend.displayName}": the ${providerName} token could not be read (${(e as Error).message}).`,
  );
}
