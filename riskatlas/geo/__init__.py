"""Offline places: where a record is, how precisely, and whether the point is in its country.

The package is built from parts that hold each other, not from a stack of subclasses:

- ``gazetteer`` / ``gazetteer_cache``: the GeoNames places PyPI packages ship, indexed by
  normalised name, and that index cached between builds;
- ``text``: the word lists and text rules names and addresses are read by;
- ``cities`` (``Cities``): a city name to a place; ``units`` (``Units``): a province name to an
  admin unit; ``addresses`` (``Addresses``): a free-text address to a city or province;
- ``geocoder`` (``Geocoder``): holds one of each and turns (country, province, city, address)
  into a point with its precision and a note; ``geocoder()`` shares one per raw directory;
- ``name_places``: a place named inside a facility's own name (``geo_method = name_place``);
- ``countries``: Natural Earth label points and outlines, read once for the geocoder and the
  check; ``check``: does a point fall inside its stated country.

Each module calls the others only through public names.
"""
