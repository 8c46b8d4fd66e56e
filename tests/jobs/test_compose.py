"""docker-compose.yml: one image for every role, a worker per queue group, every queue consumed."""
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_and_roles():
    services = compose()["services"]
    for name in ("postgres", "redis", "migrate", "web", "worker", "worker-media", "worker-audio",
                 "worker-video", "worker-email", "beat", "flower"):
        assert name in services, name
    app_images = {services[n]["image"] for n in services if n not in ("postgres", "redis", "rabbitmq")}
    assert app_images == {"jobcast:latest"}
    assert services["flower"]["profiles"] == ["flower"]
    assert "--requirepass" in services["redis"]["command"]
    assert services["web"]["command"][:1] == ["daphne"]


def test_every_queue_has_a_worker():
    services = compose()["services"]
    consumed: set[str] = set()
    for service in services.values():
        command = service.get("command", [])
        if "worker" in command and "-Q" in command:
            consumed |= set(command[command.index("-Q") + 1].split(","))
    assert consumed == set(settings.JOBS_QUEUES)


@pytest.mark.skipif(not shutil.which("docker") or subprocess.run(["docker", "compose", "version"],
                    capture_output=True).returncode != 0, reason="no docker compose client on this machine")
def test_docker_compose_config_validates():
    subprocess.run(["docker", "compose", "config", "-q"], cwd=ROOT, check=True)


def test_rabbitmq_is_a_profile_the_app_follows_through_celery_broker_url():
    services = compose()["services"]
    assert services["rabbitmq"]["profiles"] == ["rabbitmq"]
    assert services["web"]["environment"]["CELERY_BROKER_URL"].startswith("${CELERY_BROKER_URL:-redis://")
    migrate = services["migrate"]
    assert migrate["depends_on"]["rabbitmq"] == {"condition": "service_healthy", "required": False}
    conf = (ROOT / "deploy" / "rabbitmq" / "rabbitmq.conf").read_text()
    assert "consumer_timeout = 14400000" in conf
