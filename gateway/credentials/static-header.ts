// `static_header`: one header with a secret value (a service account's key), the same for every caller.
import { SERVICE_IDENTITY, type OutgoingMode } from "@/gateway/credentials/credential";

export const staticHeader: OutgoingMode<"static_header"> = {
  credential: (_backend, auth) => ({ headers: { [auth.headerName]: auth.value }, identity: SERVICE_IDENTITY }),
  invalidate: () => undefined,
  secrets: (auth) => [auth.value],
};
