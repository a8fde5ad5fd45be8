"""The Celery application. Broker: Redis when REDIS_URL is set, else an embedded filesystem queue."""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

from icp_secretariat.lib import filebroker

# The demo's embedded broker (no REDIS_URL): kombu's filesystem transport, made safe for a
# worker taking messages while they are written (icp_secretariat.lib.filebroker).
TRANSPORT_ALIASES.setdefault(filebroker.ALIAS, "icp_secretariat.lib.filebroker:Transport")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icp_secretariat.settings")

app = Celery("icp_secretariat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
