# One image for every elastiq program (worker, cloud-sim, dashboard, cli); the compose file picks
# the program with `command`.
#
# BASE: a public node:20 image by default. Where no registry can be reached, build a local base
# with scripts/build-base-image.sh (Debian trixie: nodejs 20, sshd, ansible, redis-server)
# and pass --build-arg BASE=elastiq-base:trixie --network none: the tools are then already
# present and npm installs from the host's npm cache copied into .npm-offline-cache/_cacache
# (scripts/build-image.sh does both; docs/deploy.md "Containers").
ARG BASE=node:20-bookworm

FROM ${BASE} AS system
# Only what the base lacks, so that a prepared base builds without any network.
RUN missing=""; \
    command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || missing="$missing openssh-server"; \
    command -v ssh >/dev/null || missing="$missing openssh-client"; \
    command -v ansible-playbook >/dev/null || missing="$missing ansible"; \
    command -v redis-cli >/dev/null || missing="$missing redis-tools"; \
    if [ -n "$missing" ]; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing \
      && rm -rf /var/lib/apt/lists/*; \
    fi; \
    mkdir -p /run/sshd

FROM system AS build
WORKDIR /opt/elastiq
COPY . .
# --ignore-scripts: no dependency needs its install script (ssh2's optional native speed-up
# falls back to JavaScript), and none then runs with the build's privileges.
RUN if [ -d .npm-offline-cache ]; then npm install --offline --cache .npm-offline-cache --ignore-scripts --no-audit --no-fund; \
    else npm install --ignore-scripts --no-audit --no-fund; fi \
 && npm run build \
 && rm -rf .npm-offline-cache

FROM system AS runtime
# The account every program runs as. It is named after cloud-sim's default image user: the
# compose file's cloud-sim (root) logs its instances in as `elastiq`.
# Password field `*` (no password), not useradd's `!` (locked): sshd without PAM refuses even
# key logins to a locked account. /data: where the compose file's Redis keeps its append-only
# file when it runs on this image.
RUN useradd --create-home --shell /bin/sh --uid 10001 --password '*' elastiq && mkdir -p /data && chown elastiq:elastiq /data
WORKDIR /opt/elastiq
COPY --from=build --chown=root:root /opt/elastiq /opt/elastiq
USER elastiq
ENV ELASTIQ_REDIS_URL=redis://127.0.0.1:6379
# Every program depends on Redis; cloud-sim overrides this in the compose file.
HEALTHCHECK --interval=10s --timeout=5s --retries=3 CMD redis-cli -u "$ELASTIQ_REDIS_URL" ping | grep -q PONG
CMD ["node", "apps/cli/dist/main.js", "--help"]
