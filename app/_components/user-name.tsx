// A user as the console shows them: the name, and the issuer that vouches for it. Users are unique
// per (issuer, sub): "alice" from a backend's extra trusted issuer is not the Keycloak "alice".
export function UserName({ user }: { user: { username: string | null; email: string | null; id: string; issuer: string } }) {
  return (
    <>
      <div className="font-medium">{user.username ?? user.email ?? user.id}</div>
      <div className="break-all text-xs text-slate-500" data-testid="user-issuer" title="Issuer">
        {user.issuer}
      </div>
    </>
  );
}
