# Fællesindgang: one image for the web server (gunicorn), the Celery worker and beat.
# See docker-compose.yml for how the services are wired together.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    VAR_DIR=/app/var

# WeasyPrint (PDF) needs Pango and a font; gettext compiles the translations;
# postgresql-client gives pg_dump/pg_restore to `manage.py backup`/`restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext libmagic1 \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Translations and static files are baked into the image. The production settings refuse
# to load without a real-looking SECRET_KEY, a DATABASE_URL and a contact address; these
# build-time values exist only during the build (nothing connects to the database).
RUN export DJANGO_DEBUG=false \
        SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
        DATABASE_URL=postgres://build@127.0.0.1:1/build \
        ACCESSIBILITY_CONTACT_EMAIL=build@localhost \
    && python manage.py compilemessages --ignore=.venv \
    && python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/private \
    && chown -R app:app /app/var

USER app

EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "config.gunicorn_logger.RedactingLogger"]
