// The signed-in home: at a glance, which accounts are linked and in what state, which AI clients act
// as this user, and — until one does — the way to connect the first.
import Link from "next/link";
import { CopyableValue } from "@/app/_components/code-block";
import { PageHeader } from "@/app/_components/shell";
import { ClientsCard, LinksCard } from "@/app/_home/home-cards";
import type { SessionUser } from "@/lib/auth/session";
import { gatewayEndpoint } from "@/lib/connect/client-setup";
import { env } from "@/lib/env";
import { findLinksForUser } from "@/lib/links";
import { findConnectedClients } from "@/lib/oauth-server/connected-clients";
import { findProviders } from "@/lib/providers";

export async function SignedInHome({ user }: { user: SessionUser }) {
  const [providers, links, clients] = await Promise.all([
    findProviders({ enabledOnly: true }),
    findLinksForUser(user.userId),
    findConnectedClients(user.userId),
  ]);
  const appUrl = env().APP_URL;
  return (
    <>
      <PageHeader
        title={`Welcome, ${user.name ?? user.username ?? user.email ?? "there"}`}
        description="Your AI clients reach every MCP backend you may use through Gatehouse, each acting as you."
      />
      {clients.length === 0 && (
        <section
          data-testid="first-time-hint"
          aria-labelledby="first-client"
          className="mb-6 rounded-lg border border-brand-600/20 bg-brand-50 p-5"
        >
          <h2 id="first-client" className="text-base font-semibold text-brand-700">
            Connect your first AI client
          </h2>
          <p className="mt-1 text-sm text-slate-700">
            Claude Code, VS Code, Cursor, ChatGPT and other MCP clients need only your gateway URL: they send you here to sign in and
            approve them.
          </p>
          <Link
            href="/connect"
            className="mt-3 inline-flex rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
          >
            Connect a client
          </Link>
        </section>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <LinksCard providers={providers} links={links} />
        <ClientsCard clients={clients} appUrl={appUrl} />
      </div>
      <section aria-labelledby="home-gateway" className="mt-4 rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="home-gateway" className="text-base font-semibold text-slate-900">
          Your gateway URL
        </h2>
        <div className="mt-2 flex flex-wrap items-center justify-between gap-3">
          <CopyableValue value={gatewayEndpoint(appUrl).url} label="Copy the gateway URL" />
          <Link href="/connect" className="text-sm font-semibold text-brand-700 hover:underline">
            Steps for each client →
          </Link>
        </div>
      </section>
    </>
  );
}
