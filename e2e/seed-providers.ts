// Seeds the providers (GitLab stand-in). Filled in by the linked-accounts work.
import type { World } from "./world";

export type SeededProviders = Record<string, { id: string; slug: string }>;

export async function seedProviders(_world: World): Promise<SeededProviders> {
  return {};
}
