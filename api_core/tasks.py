"""The app's Celery tasks, where the worker's autodiscovery looks for them. The rebuild of
the kept answers is defined beside the mechanism that asks for it, so that neither module
imports the other."""

from api_core.kept_answers import rebuild_kept_answers

__all__ = ["rebuild_kept_answers"]
