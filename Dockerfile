# target-iomete as a container: stdin in, state lines out.
#
#   docker build -t target-iomete .
#   tap-x | docker run -i --rm -v "$PWD/target.json:/cfg.json:ro" target-iomete --config /cfg.json > state.json
#
# test/integration/container.test.ts builds this file unmodified with podman (NODE_IMAGE set to a
# node:24 stand-in made from Debian packages, see scripts/container-image.ts) and runs the image.

# Node.js 24, the current LTS line (the release CI also tests on: scripts/node-lts.ts).
ARG NODE_IMAGE=node:24.19-bookworm-slim

# --- build: compile and pack exactly what `npm publish` would ship ----------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json README.md plugin-definition.yml ./
COPY bin ./bin
COPY src ./src
# prepack builds a clean dist/ first.
RUN npm pack --pack-destination /tmp \
    && mv /tmp/target-iomete-*.tgz /tmp/target-iomete.tgz

# --- runtime: the packed package and its production dependencies, nothing else --------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /opt/target-iomete
COPY --from=build /tmp/target-iomete.tgz /tmp/target-iomete.tgz
# The lockfile pins the production dependencies to the versions the tests ran with.
COPY --from=build /src/package-lock.json ./
RUN tar -xzf /tmp/target-iomete.tgz --strip-components=1 \
    && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force \
    && rm /tmp/target-iomete.tgz \
    && chmod 0755 bin/run.js \
    && ln -s /opt/target-iomete/bin/run.js /usr/local/bin/target-iomete
# The node image's unprivileged `node` user (numeric, so Kubernetes' runAsNonRoot can verify it);
# batch files go to the OS temp directory.
USER 1000:1000
ENTRYPOINT ["target-iomete"]
CMD ["--help"]
