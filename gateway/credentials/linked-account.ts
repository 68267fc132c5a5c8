// `linked_account`: the subject's own token for one provider, from the token broker, which keeps it
// fresh (refresh ahead of expiry, serialized across replicas) and forgets it when the link changes.
// No usable link: AppError("link_required"), which a real call turns into the link request.
import { bearer, type OutgoingMode } from "@/gateway/credentials/credential";
import { AppError, clientError, isAppError } from "@/lib/errors";

export const linkedAccount: OutgoingMode<"linked_account"> = {
  async credential(backend, auth, subject, deps) {
    try {
      const link = await deps.linkToken({ userId: subject.userId, providerId: auth.providerId });
      return { headers: bearer(link.accessToken), identity: `user:${subject.userId}:link:${link.linkId}` };
    } catch (thrown) {
      // The database down: a retryable "unavailable" that carries none of the driver's text.
      const e = clientError(thrown);
      if (isAppError(e)) throw e;
      throw new AppError(
        "upstream",
        `Backend "${backend.displayName}": the ${auth.providerName} token could not be read (${(e as Error).message}).`,
      );
    }
  },
  // The token broker's cache follows link and provider changes itself.
  invalidate: () => undefined,
  secrets: () => [],
};
