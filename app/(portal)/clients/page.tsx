// Connected clients: every MCP client that acts as this user (a grant at Gatehouse's authorization
// server), where, how much, and Revoke, like GitHub's "Authorized OAuth apps".
import Link from "next/link";
import { EmptyState, PageHeader } from "@/app/_components/shell";
import { ConnectedClientCard } from "@/app/(portal)/clients/connected-client-card";
import { requireUser } from "@/lib/auth/session";
import { findConnectedClients } from "@/lib/oauth-server/connected-clients";

export const metadata = { title: "Connected clients" };
export const dynamic = "force-dynamic";

export default async function ConnectedClientsPage() {
  const user = await requireUser();
  const clients = await findConnectedClients(user.userId);
  return (
    <>
      <PageHeader
        title="Connected clients"
        description="AI clients you signed in to Gatehouse. Each acts as you at the endpoints it was given. Revoke one to end its access at once; it must sign in again to come back."
      />
      {clients.length === 0 ? (
        <EmptyState title="No connected clients">
          When you sign in to Gatehouse from an AI client (Claude Code, VS Code, Cursor, …), it appears here. Scripts and CI can use a{" "}
          <Link href="/tokens" className="font-medium text-brand-700 underline">
            personal access token
          </Link>{" "}
          instead.
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-4" data-testid="connected-clients">
          {clients.map((c) => (
            <ConnectedClientCard key={c.grantId} client={c} />
          ))}
        </ul>
      )}
    </>
  );
}
