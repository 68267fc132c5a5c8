// `static_header`: one header with a secret value (a service account's key), the same for every caller.
import { SERVICE_IDENTITY, type AuthOf, type Credential, type OutgoingMode } from "@/gateway/credentials/credential";

// One credential per backend configuration (a new one comes with every reload): none per call.
const credentials = new WeakMap<AuthOf<"static_header">, Credential>();

export const staticHeader: OutgoingMode<"static_header"> = {
  credential: (_backend, auth) => {
    let credential = credentials.get(auth);
    if (!credential) credentials.set(auth, (credential = { headers: { [auth.headerName]: auth.value }, identity: SERVICE_IDENTITY }));
    return credential;
  },
  invalidate: () => undefined,
  secrets: (auth) => [auth.value],
};
