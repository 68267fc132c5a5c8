// `none`: the backend gets no credential.
import { SERVICE_IDENTITY, type Credential, type OutgoingMode } from "@/gateway/credentials/credential";

const NO_CREDENTIAL: Credential = Object.freeze({ headers: Object.freeze({}), identity: SERVICE_IDENTITY }) as Credential;

export const none: OutgoingMode<"none"> = {
  credential: () => NO_CREDENTIAL,
  invalidate: () => undefined,
  secrets: () => [],
};
