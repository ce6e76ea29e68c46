"""Where firms are: positions in km on a local map, or in degrees of latitude and longitude.

Module 4 matches firms within a distance limit, on a flat map in km. An official's firm
register usually gives latitude and longitude instead; :func:`km_from_degrees` turns them
into km, and :func:`degrees_in_km` catches degrees pasted into the km columns, which would
otherwise put every firm within a few hundred metres of the others.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LATLON_NAMES = {"latitude": "latitude", "lat": "latitude", "longitude": "longitude",
                 "lon": "longitude", "lng": "longitude", "long": "longitude"}  # fmt: skip
KM_PER_DEGREE = 6371.0 * np.pi / 180  # 111.19 km: a degree of latitude on a sphere of the
# Earth's mean radius; a degree of longitude is that times the cosine of the latitude


def km_from_degrees(latitude: pd.Series, longitude: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """x_km and y_km of points given in degrees, on a flat map whose fixed point is the
    most south-western corner of the points (an equirectangular projection about their
    mean latitude: within 0.5 % of the true distances across a cluster of 100 km).

    >>> x, y = km_from_degrees(pd.Series([11.0, 11.1]), pd.Series([77.0, 77.0]))
    >>> round(float(y[1]), 2)  # 0.1 degree of latitude
    11.12
    """
    lat, lon = latitude.to_numpy(dtype=float), longitude.to_numpy(dtype=float)
    shrink = np.cos(np.radians(lat.mean()))
    return (lon - lon.min()) * KM_PER_DEGREE * shrink, (lat - lat.min()) * KM_PER_DEGREE


def degrees_in_km(clean: pd.DataFrame) -> str | None:
    """A problem when x_km and y_km look like degrees pasted in: every firm within 2 units
    of the others, far from the map's fixed point, and all within latitude and longitude's
    ranges. A map in km of a park 2 km across is read as such once its positions start
    near 0, which the message says how to do."""
    x, y = clean["x_km"], clean["y_km"]
    if len(clean[["x_km", "y_km"]].drop_duplicates()) < 2:
        return None
    spread = max(x.max() - x.min(), y.max() - y.min())
    far = max(abs(x.mean()), abs(y.mean()))
    in_range = max(x.abs().max(), y.abs().max()) <= 180 and min(x.abs().max(), y.abs().max()) <= 90
    if spread >= 2 or far < 3 or not in_range:
        return None
    return (
        f"columns 'x_km' and 'y_km' look like latitude and longitude in degrees, not km: "
        f"x_km runs from {x.min():g} to {x.max():g} and y_km from {y.min():g} to {y.max():g}, "
        f"so the firms would all lie in a square {spread:.2g} km across, but as degrees that "
        f"square is about {spread * KM_PER_DEGREE:,.0f} km across (1 degree of latitude is "
        "about 111 km). "
        "Rename the column of latitudes (degrees north) 'latitude' and the column of "
        "longitudes (degrees east) 'longitude': the course converts them to km. If they are "
        "km after all, subtract the smallest x_km from every x_km and the smallest y_km from "
        "every y_km, so that the positions start at 0"
    )
