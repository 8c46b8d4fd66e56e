"""ASGI entry point served by `daphne asgi:application`.

HTTP goes to Django (project/asgi_handler.py: sync views in one thread hop; static files first,
project/static_asgi.py); a WebSocket upgrade passes the origin check (foreign Origin refused, no
Origin only with a token header), then session-or-token authentication, then the URL router.
"""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup(set_prefix=False)

from project.asgi_handler import ThreadedASGIHandler  # noqa: E402
from project.static_asgi import StaticFilesFirst  # noqa: E402

django_asgi_app = ThreadedASGIHandler()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from apps.jobs.ws_auth import OriginOrTokenValidator, SessionOrTokenAuthMiddleware  # noqa: E402
from project.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": StaticFilesFirst(django_asgi_app),
        "websocket": OriginOrTokenValidator(
            SessionOrTokenAuthMiddleware(URLRouter(websocket_urlpatterns))
        ),
    }
)
