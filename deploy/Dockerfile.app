# The Python >= 3.11 side of Chung Tay: gateway, action server, routing worker, console and the
# `chungtay db upgrade` one-shot. One image; the compose file picks the command.
#   docker build -f deploy/Dockerfile.app -t chungtay-app .
FROM python:3.12-slim

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
COPY bench/ /app/bench/
RUN pip install --no-cache-dir -c requirements/app.lock . \
    && useradd --system --uid 1001 chungtay
USER 1001

# Containers listen on all interfaces; the reverse proxy and the compose network decide reach.
ENV CHUNGTAY_BIND_HOST=0.0.0.0 CHUNGTAY_PROFILE=production
EXPOSE 8000 8001 5055
ENTRYPOINT ["chungtay"]
CMD ["--help"]
