# One image for every elastiq program (worker, cloud-sim, dashboard, cli). The compose file
# picks the program with `command`.
FROM node:20-bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssh-server openssh-client ansible \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /run/sshd
WORKDIR /opt/elastiq
COPY . .
RUN npm install --no-audit --no-fund && npm run build
ENV ELASTIQ_REDIS_URL=redis://127.0.0.1:6379
