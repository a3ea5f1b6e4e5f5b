import os

import kombu
from celery import Celery
from celery.app.amqp import AMQP
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerships_map.settings")


class BrokerConnection(kombu.Connection):
    """kombu's connection, safe to close after ``collect()``.

    Works around a crash in celery 5.7.0 (the newest release, December 2026). When the broker
    goes away, the worker's consumer calls ``collect()`` on the lost connection and then
    ``close()`` (new in 5.7.0). ``collect()`` detaches the transport but keeps the default
    channel; ``close()`` then closes that channel again, and the Redis channel, holding
    unacknowledged messages (every task with an eta or countdown is one until it runs), tries
    to put them back through a transport that is gone: ``AttributeError: 'NoneType' object
    has no attribute 'hostname'`` escapes as an "Unrecoverable error" and the worker exits.
    Forgetting the channel once collected makes that ``close()`` a no-op. The messages are
    not lost: Redis keeps them in its unacked set and kombu delivers them again after the
    visibility timeout. Remove this class when celery or kombu fixes the order.
    """

    def collect(self, socket_timeout=None):
        try:
            super().collect(socket_timeout)
        finally:
            self._default_channel = None


class PartnershipsAMQP(AMQP):
    Connection = BrokerConnection
    BrokerConnection = BrokerConnection


app = Celery("partnerships_map", amqp=PartnershipsAMQP)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def yield_the_cpu_to_visitors(**kwargs):
    """The worker's jobs (a rebuild of every kept answer after a change, imports, link
    checks) run at a lower CPU priority than the web processes on the same host
    (`WORKER_NICENESS`), so a rebuild never slows the visitors it works for. Pool processes
    inherit it."""
    from django.conf import settings

    os.nice(settings.WORKER_NICENESS)
