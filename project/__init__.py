"""Jobcast project package: settings, URLs, the Celery app and WebSocket routing."""
from project.celery import app as celery_app

__all__ = ["celery_app"]
