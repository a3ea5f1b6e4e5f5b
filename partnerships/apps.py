from django.apps import AppConfig
from django.db.models.signals import post_migrate

# What the moderators' group may do: review suggestions, edit partnership data, decide on
# requests for API keys (and revoke a key issued), no more.
MODERATOR_PERMISSIONS = {
    "partnerships": [
        "view_suggestion",
        "change_suggestion",
        "view_partnership",
        "add_partnership",
        "change_partnership",
        "view_membership",
        "add_membership",
        "change_membership",
        "delete_membership",
        "view_source",
        "add_source",
        "change_source",
        "delete_source",
        "view_outboxmessage",
        "view_linkcheck",
        "view_laresearch",
        "view_verificationrequest",
        "add_verificationrequest",
        "view_apikeyrequest",
        "change_apikeyrequest",
    ],
    "rest_framework_api_key": ["view_apikey", "change_apikey"],
    "geodata": ["view_localauthority", "view_school", "view_trust", "view_region"],
}


def ensure_moderators_group(sender, **kwargs):
    """Keep the Moderators group's permissions exactly as listed (after every migrate)."""
    from django.conf import settings
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=settings.MODERATORS_GROUP)
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codenames in MODERATOR_PERMISSIONS.items()
        for codename in codenames
    ]
    group.permissions.set(permissions)


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnerships"

    def ready(self):
        from django.core.signals import request_started

        from geodata.signals import boundary_set_activated, register_imported
        from partnerships import receivers
        from partnerships.connections import check_connections_first

        post_migrate.connect(ensure_moderators_group, sender=self)
        request_started.connect(check_connections_first, dispatch_uid="check-connections-first")
        register_imported.connect(
            receivers.follow_school_successors, dispatch_uid="follow-school-successors"
        )
        register_imported.connect(
            receivers.follow_superseded_trusts, dispatch_uid="follow-superseded-trusts"
        )
        boundary_set_activated.connect(
            receivers.refresh_footprints, dispatch_uid="refresh-partnership-footprints"
        )
