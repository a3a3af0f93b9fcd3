# The one image behind web, worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext curl && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 portal
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=portal:portal . .
# Throwaway secrets for this step alone, so that it runs as production does (the image keeps none; the containers
# get theirs from .env, and refuse to start without them: portal.startup). The sandbox is installed for this step only, so that its
# stylesheet is in the manifest of a staging stack that turns PAYMENT_SANDBOX on.
RUN DJANGO_DEBUG=0 PAYMENT_SANDBOX=1 DJANGO_SECRET_KEY=build-only VNPAY_TMN_CODE=build-only VNPAY_HASH_SECRET=build-only \
    MOMO_PARTNER_CODE=build-only MOMO_ACCESS_KEY=build-only MOMO_SECRET_KEY=build-only \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R portal:portal /app/var
USER portal
EXPOSE 8000
# No access log: the portal writes one JSON line a request itself, with its request id (portal.request); the hooks add
# up the workers' metrics when PROMETHEUS_MULTIPROC_DIR is set (docker-compose.yml sets it for web).
CMD ["sh", "-c", "gunicorn -c python:portal.gunicorn_hooks portal.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-$((2 * $(nproc) + 1))} --timeout 120 --limit-request-line 8190"]
