from django.apps import AppConfig


def derive_indicators_from_register(sender, run, **kwargs):
    """Indicators computed from the register follow every import that changed schools."""
    from geodata.importers.indicators import derive_register_indicators
    from geodata.models import ImportRun

    if run.source == ImportRun.Source.GIAS_LINKS:
        return "Not needed: links change no school."
    derived = derive_register_indicators(run.extract_date)
    return (
        f"Register indicators: {derived.created} values created, {derived.updated} updated, "
        f"{derived.unchanged} unchanged."
    )


class GeodataConfig(AppConfig):
    name = "geodata"
    verbose_name = "Places and registers"

    def ready(self):
        from geodata.signals import register_imported

        register_imported.connect(
            derive_indicators_from_register, dispatch_uid="derive-register-indicators"
        )
