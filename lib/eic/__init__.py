"""eic: the helper library of the EIC Course (eco-industrial clusters).

Pure analysis functions, bundled data with provenance, worksheet widgets that record
answers, and the checks used to grade them. Import what a notebook needs, e.g.
``from eic.worksheet import Worksheet``.
"""

__version__ = "0.1.0"
