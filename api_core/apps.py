from django.apps import AppConfig


class ApiCoreConfig(AppConfig):
    """No models: an app so that every database connection LISTENs for new data versions
    from the moment it is made, and a revoked API key is forgotten at once."""

    name = "api_core"
    verbose_name = "Shared API layer"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_save
        from rest_framework_api_key.models import APIKey

        from api_core.auth import forget_verified_keys
        from api_core.data_version import listen_for_new_versions

        connection_created.connect(listen_for_new_versions, dispatch_uid="data-version-listen")
        post_save.connect(forget_verified_keys, sender=APIKey, dispatch_uid="forget-api-keys")
