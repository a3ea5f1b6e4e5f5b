"""Public pages are rendered once per data version: they depend only on their URL and the
data, never on who asks (no forms, no sessions)."""

from api_core.views import once_per_data_version

# Browsers ask again every time (a 304 while the data version holds), so an approved change
# shows at once.
PAGE_MAX_AGE = 0

rendered_once_per_data_version = once_per_data_version(PAGE_MAX_AGE)
