// Every outgoing auth mode, by name. credentials.ts dispatches through this object at call time, so
// a test can watch (or break) one mode and see every path that uses it.
import { clientCredentials } from "@/gateway/credentials/client-credentials";
import type { OutgoingMode } from "@/gateway/credentials/credential";
import { linkedAccount } from "@/gateway/credentials/linked-account";
import { none } from "@/gateway/credentials/none";
import { staticHeader } from "@/gateway/credentials/static-header";
import { tokenExchange } from "@/gateway/credentials/token-exchange";
import type { RuntimeAuth } from "@/lib/backends/runtime";

export const OUTGOING_MODES: { [M in RuntimeAuth["mode"]]: OutgoingMode<M> } = {
  none,
  static_header: staticHeader,
  token_exchange: tokenExchange,
  linked_account: linkedAccount,
  client_credentials: clientCredentials,
};

/** The mode of `auth`, typed for it. */
export function modeOf<A extends RuntimeAuth>(auth: A): OutgoingMode<A["mode"]> {
  return OUTGOING_MODES[auth.mode] as unknown as OutgoingMode<A["mode"]>;
}
