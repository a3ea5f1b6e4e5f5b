from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; the ES modules' imports (`import ... from
    "./common.js"`) are rewritten to the hashed names too, so a page never pairs a new
    module with an old copy of what it imports."""

    support_js_module_import_aggregation = True
