"""Jobcast settings (`DJANGO_SETTINGS_MODULE=project.settings`), one module per concern.

Every value comes from the environment, or from the dotenv file ($JOBCAST_ENV_FILE, else `.env`)
read first; real environment variables win. README's configuration table and docs/*.md list
the variables; each app's settings carry its prefix (MEDIA_*, OCR_*, VISION_*, TESTING_*).
"""
from project.environment import read_env_file

read_env_file()

from project.settings.api import *  # noqa: E402,F403
from project.settings.base import *  # noqa: E402,F403
from project.settings.celery import *  # noqa: E402,F403
from project.settings.channels import *  # noqa: E402,F403
from project.settings.database import *  # noqa: E402,F403
from project.settings.jobs import *  # noqa: E402,F403
from project.settings.media import *  # noqa: E402,F403
from project.settings.ocr import *  # noqa: E402,F403
from project.settings.ops import *  # noqa: E402,F403
from project.settings.testing import *  # noqa: E402,F403
from project.settings.vision import *  # noqa: E402,F403
