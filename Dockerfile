# One image for every role: web (daphne), worker(s), beat, flower. Choose with the command.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng && rm -rf /var/lib/apt/lists/*
COPY requirements.lock .
RUN pip install -r requirements.lock
COPY . .
RUN pip install --no-deps -e . \
 && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput
RUN useradd --system --home /app jobcast && mkdir -p /app/media && chown -R jobcast /app/media
USER jobcast
EXPOSE 8000
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "asgi:application"]
