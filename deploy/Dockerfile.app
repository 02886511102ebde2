# The Python >= 3.11 side of Chung Tay: gateway, action server, routing worker, console and the
# `chungtay db upgrade|backup|restore` one-shots. One image; the compose file picks the command.
#   docker build -f deploy/Dockerfile.app -t chungtay-app .
# Debian 13: its postgresql-client (17) dumps and restores the compose file's PostgreSQL 16
# (pg_dump must be at least the server's major version).
FROM python:3.12-slim-trixie

ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md /app/
COPY requirements/app.lock /app/requirements/app.lock
COPY chungtay/ /app/chungtay/
COPY bot/ /app/bot/
COPY nlu/ /app/nlu/
COPY actions/ /app/actions/
COPY intake_store/ /app/intake_store/
COPY console/ /app/console/
COPY routing/ /app/routing/
COPY content/ /app/content/
# bench/ (benchmarks and their fakes of the channel APIs) stays out of the production image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir -c requirements/app.lock . \
    && useradd --system --uid 1001 chungtay \
    && install -d -o 1001 -g 1001 -m 0700 /var/lib/chungtay
# A named volume mounted here starts as a copy of this directory: owned by uid 1001, not root.
VOLUME /var/lib/chungtay
USER 1001

# Containers listen on all interfaces; the reverse proxy and the compose network decide reach.
ENV CHUNGTAY_BIND_HOST=0.0.0.0 CHUNGTAY_PROFILE=production CHUNGTAY_DATA_DIR=/var/lib/chungtay
EXPOSE 8000 8001 8002 5055
ENTRYPOINT ["chungtay"]
CMD ["--help"]
