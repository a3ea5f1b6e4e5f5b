from django.apps import AppConfig


def derive_indicators_from_register(sender, run, **kwargs):
    """Indicators computed from the register follow every import that changed schools."""
    from geodata.importers.indicators import derive_register_indicators
    from geodata.models import ImportRun

    if run is not None and run.source != ImportRun.Source.GIAS_LINKS:
        derive_register_indicators(run.extract_date)


class GeodataConfig(AppConfig):
    name = "geodata"
    verbose_name = "Places and registers"

    def ready(self):
        from geodata.signals import register_imported

        register_imported.connect(
            derive_indicators_from_register, dispatch_uid="derive-register-indicators"
        )
