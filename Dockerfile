# Production-like image: the web app under gunicorn; the same image runs the Celery
# worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_ENV=production \
    PIP_NO_CACHE_DIR=1

# GeoDjango needs GDAL, GEOS and PROJ from the system.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgdal32 libgeos-c1v5 libproj25 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
RUN python -m pip install --upgrade "pip>=25.1" && python -m pip install --group app

COPY . .
# collectstatic needs settings but no database; a throwaway key is enough at build time.
RUN DATABASE_URL=postgis://build@localhost/build SECRET_KEY=build-only \
    python manage.py collectstatic --noinput -v 0

# .local/uploads: extracts uploaded in the admin, waiting for the worker (a shared volume).
RUN useradd --system --home /app app && mkdir -p /app/.local/uploads && chown -R app /app
USER app
EXPOSE 8000
CMD ["gunicorn", "partnerships_map.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--workers", "3", "--timeout", "30", "--access-logfile", "-"]
