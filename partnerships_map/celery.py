import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerships_map.settings")

app = Celery("partnerships_map")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
