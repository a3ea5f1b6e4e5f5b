from django.apps import AppConfig


class ApiCoreConfig(AppConfig):
    """No models: an app only so that every database connection LISTENs for new data
    versions from the moment it is made."""

    name = "api_core"
    verbose_name = "Shared API layer"

    def ready(self):
        from django.db.backends.signals import connection_created

        from api_core.data_version import listen_for_new_versions

        connection_created.connect(listen_for_new_versions, dispatch_uid="data-version-listen")
