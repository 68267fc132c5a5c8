// In-memory storage for the GitLab-shaped server's oidc-provider: one store per server instance.
// oidc-provider's bundled memory adapter is a process-wide LRU of 1,000 entries, which would mix
// servers started in one test process and evict tokens under load; it also cannot list a grant's
// access tokens, which GitLab-style refresh rotation needs (the old access token dies on refresh).
import type { Adapter, AdapterPayload, ClientMetadata } from "oidc-provider";

interface Entry {
  payload: AdapterPayload;
  expiresAt?: number;
}

export class GitLabStore {
  private readonly entries = new Map<string, Entry>();
  private readonly byGrant = new Map<string, Set<string>>();
  private readonly byUid = new Map<string, string>();
  private readonly byUserCode = new Map<string, string>();

  /** Clients come from a live callback so applications added at runtime are seen at once. */
  constructor(private readonly findClient: (clientId: string) => ClientMetadata | undefined) {}

  /** The factory handed to oidc-provider's `adapter` option. */
  adapterFactory = (model: string): Adapter => new ModelAdapter(this, model);

  /** Ids of the live access tokens issued under one grant. */
  accessTokenIdsOfGrant(grantId: string): string[] {
    const keys = [...(this.byGrant.get(grantId) ?? [])];
    return keys.filter((k) => k.startsWith("AccessToken:")).map((k) => k.slice("AccessToken:".length));
  }

  clientMetadata(clientId: string): ClientMetadata | undefined {
    return this.findClient(clientId);
  }

  get(key: string): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(model: string, id: string, payload: AdapterPayload, expiresIn?: number): void {
    const key = `${model}:${id}`;
    const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : undefined;
    this.entries.set(key, { payload, expiresAt });
    if (payload.grantId) this.index(this.byGrant, payload.grantId, key);
    if (payload.uid) this.byUid.set(`${model}:${payload.uid}`, id);
    if (payload.userCode) this.byUserCode.set(`${model}:${payload.userCode}`, id);
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (entry?.payload.grantId) this.byGrant.get(entry.payload.grantId)?.delete(key);
  }

  revokeGrant(model: string, grantId: string): void {
    for (const key of [...(this.byGrant.get(grantId) ?? [])]) {
      if (key.startsWith(`${model}:`)) this.delete(key);
    }
  }

  idByUid(model: string, uid: string): string | undefined {
    return this.byUid.get(`${model}:${uid}`);
  }

  idByUserCode(model: string, userCode: string): string | undefined {
    return this.byUserCode.get(`${model}:${userCode}`);
  }

  private index(map: Map<string, Set<string>>, id: string, key: string): void {
    let set = map.get(id);
    if (!set) map.set(id, (set = new Set()));
    set.add(key);
  }
}

/** oidc-provider's adapter contract for one model (AccessToken, Grant, Session, …). */
class ModelAdapter implements Adapter {
  constructor(
    private readonly store: GitLabStore,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.store.set(this.model, id, payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (this.model === "Client") return this.store.clientMetadata(id);
    return this.store.get(`${this.model}:${id}`);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.store.idByUid(this.model, uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = this.store.idByUserCode(this.model, userCode);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id: string): Promise<void> {
    const payload = this.store.get(`${this.model}:${id}`);
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(`${this.model}:${id}`);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeGrant(this.model, grantId);
  }
}
