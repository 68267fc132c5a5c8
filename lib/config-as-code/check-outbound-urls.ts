import { checkBackendUrls } from "@/lib/backends/validate-input";
import type { ConfigFile } from "@/lib/config-as-code/file-schema";
import { AppError } from "@/lib/errors";
import { outboundFieldIssues } from "@/lib/net/outbound-policy";

/** Every URL Gatehouse will call passes the one outbound URL policy, as it does through the REST API. */
export function checkOutboundUrls(file: ConfigFile): void {
  const problems: string[] = [];
  const collect = (where: string, fields: Record<string, string[]> | undefined) => {
    for (const [field, messages] of Object.entries(fields ?? {})) problems.push(`${where}.${field}: ${messages.join("; ")}`);
  };
  file.providers.forEach((p, i) =>
    collect(
      `providers[${i}] (${p.slug})`,
      outboundFieldIssues({
        baseUrl: p.baseUrl,
        ...(p.kind === "oauth2"
          ? { tokenEndpoint: p.tokenEndpoint, revocationEndpoint: p.revocationEndpoint, userinfoEndpoint: p.userinfoEndpoint }
          : {}),
      }),
    ),
  );
  file.backends.forEach((b, i) => {
    try {
      checkBackendUrls({ url: b.url, inboundIssuer: b.inboundIssuer, auth: b.auth });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      collect(`backends[${i}] (${b.slug})`, e.fields);
    }
  });
  if (problems.length) throw new Error(`Gatehouse will not call some of these URLs:\n${problems.join("\n")}`);
}
