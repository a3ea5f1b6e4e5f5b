"""The layer below both apps: the data version and the answers kept under it (pages, API
lists, downloads, similar areas), and what every endpoint of the public API shares (paging,
the JSON/GeoJSON switch, API keys, fair-use throttling, the bulk downloads' door).

Both `geodata` and `partnerships` build on it; it knows neither of them.
"""
