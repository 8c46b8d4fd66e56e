"""Jobcast settings (`DJANGO_SETTINGS_MODULE=project.settings`), one module per concern.

Every value comes from the environment, or from the dotenv file ($JOBCAST_ENV_FILE, else `.env`)
read first; real environment variables win. README's configuration table and docs/*.md list
the variables; each app's settings carry its prefix (MEDIA_*, OCR_*, VISION_*, TESTING_*).
"""
from project.environment import read_env_file

read_env_file()

from project.settings.api import *
from project.settings.base import *
from project.settings.celery import *
from project.settings.channels import *
from project.settings.database import *
from project.settings.jobs import *
from project.settings.media import *
from project.settings.ocr import *
from project.settings.testing import *
from project.settings.vision import *
