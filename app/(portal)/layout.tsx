import { requireUser } from "@/lib/auth/session";
import { Shell } from "@/app/_components/shell";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return <Shell user={user}>{children}</Shell>;
}
