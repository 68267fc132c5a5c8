# Gatehouse container image. Every build step lives in deploy/build.sh, which CI also runs outside a
# container, so this file only chooses base images, users and the runtime layout.
#
#   docker build -t gatehouse .
#   docker run --read-only --tmpfs /tmp -v gatehouse-data:/app/data -p 3000:3000 \
#     -e APP_URL=… -e KEYCLOAK_ISSUER=… -e KEYCLOAK_CLIENT_ID=… -e KEYCLOAK_CLIENT_SECRET=… \
#     -e GATEHOUSE_KEYS=… -e AUTH_SECRET=… -e DATABASE_URL=postgresql://… gatehouse
ARG NODE_IMAGE=node:22-bookworm-slim

# 1. Dependencies: only the manifests, so this layer is reused until they change.
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

# 2. Build: prisma generate, next build, then the runtime tree in /out (production dependencies only).
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY --from=deps /src/node_modules ./node_modules
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN bash deploy/build.sh --skip-install --output /out

# 3. Runtime: the assembled tree on a slim Node 22, as a non-root user. The root filesystem can be
# read-only: the app writes only under /app/data (DATA_DIR: the embedded database and the development
# keyring, unused with DATABASE_URL and GATEHOUSE_KEYS), /app/.next/cache (Next's render cache) and /tmp.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=build --chown=root:root /out/ ./
RUN groupadd --system --gid 10001 gatehouse \
 && useradd --system --uid 10001 --gid gatehouse --home-dir /app --shell /usr/sbin/nologin gatehouse \
 && chown -R gatehouse:gatehouse /app/data /app/.next/cache
VOLUME ["/app/data", "/app/.next/cache", "/tmp"]
USER 10001:10001
EXPOSE 3000
# Liveness only (the process answers); readiness (database, migrations) is /api/health/ready.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# One process: the same command as `npm start`, without npm in between (signals reach Node directly).
CMD ["node", "--max-semi-space-size=4", "--import", "tsx", "server.ts"]
