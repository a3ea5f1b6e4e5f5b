"""What every endpoint of the public API shares, below both apps: paging, the JSON/GeoJSON
switch, conditional responses (ETag, Last-Modified, 304), API keys and fair-use throttling.

Both `geodata` and `partnerships` build their API on it; it knows neither of them.
"""
