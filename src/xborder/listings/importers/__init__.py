"""File importers of the listings package (built on :mod:`xborder.importing`)."""
