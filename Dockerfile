# The production image: gunicorn for the web and beat (stage `app`); the Celery worker runs the
# `worker` stage, the same image plus LibreOffice headless, which converts office papers to
# tagged PDF (issue 15).
FROM python:3.11-slim AS app

# WeasyPrint (agenda packs as PDF) needs Pango, HarfBuzz, fontconfig and some fonts.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=icp_secretariat.settings \
    VAR_DIR=/data \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .

# Static files are collected into the image (whitenoise serves them), with throwaway
# build-time values: the real SECRET_KEY and hosts come from the environment at run time.
RUN DEBUG=0 SECRET_KEY=build-time-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 --home-dir /app icp \
    && mkdir -p /data && chown icp /data
USER icp
VOLUME ["/data"]
EXPOSE 8000

CMD ["gunicorn", "icp_secretariat.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

# The worker: LibreOffice (Writer, Impress, Calc without a GUI) for `meetings.process_paper`.
FROM app AS worker
USER root
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui \
    && rm -rf /var/lib/apt/lists/*
USER icp
CMD ["celery", "-A", "icp_secretariat", "worker", "--loglevel=INFO"]
