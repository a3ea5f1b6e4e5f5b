"""Public pages are rendered once per data version: they depend only on their URL and the
data, never on who asks (no forms, no sessions)."""

from api_core.kept_answers import once_per_data_version

# Browsers ask again every time (a 304 while the data version holds), so an approved change
# shows at once.
PAGE_MAX_AGE = 0

rendered_once_per_data_version = once_per_data_version(PAGE_MAX_AGE)
# Pages rendered by one web process for all, and rebuilt by the worker after a change
# while visitors get the last complete page: the costliest (the map's data, every
# open-data file described) and those asked for most (areas, partnerships). Pages with
# tens of thousands of addresses (schools, trusts) stay in each process.
rendered_once_for_every_process = once_per_data_version(PAGE_MAX_AGE, shared=True)
