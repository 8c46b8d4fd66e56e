"""`{% jobcast_importmap %}`: lets ES modules import each other by plain relative names.

The manifest storage serves `sync.js` as `sync.<hash>.js` but does not rewrite `import "./sync.js"`
inside modules; an import map from each plain URL to its hashed URL closes that gap (with
DEBUG=true the map is the identity).
"""
from __future__ import annotations

import json

from django import template
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from frontend.result_views import app_page_modules, frontend_modules, result_view_scripts

register = template.Library()


@register.simple_tag
def jobcast_importmap() -> str:
    from django.conf import settings

    imports = {f"{settings.STATIC_URL}{path}": static(path) for path in frontend_modules() + app_page_modules() + result_view_scripts()}
    body = json.dumps({"imports": imports}, indent=1).replace("</", "<\\/")
    return mark_safe(f'<script type="importmap">{body}</script>')


@register.simple_tag
def jobcast_result_view_scripts() -> str:
    """Module tags for the domain apps' result views (see frontend/result_views.py)."""
    tags = [f'<script type="module" src="{static(path)}"></script>' for path in result_view_scripts()]
    return mark_safe("\n".join(tags))
