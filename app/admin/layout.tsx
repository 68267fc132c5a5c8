import { requireAdmin } from "@/lib/auth/session";
import { Shell } from "@/app/_components/shell";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireAdmin();
  return <Shell user={user}>{children}</Shell>;
}
