"""nbgrader in the trainer's server on the course's JupyterHub: formgrader releases to
and collects from the exchange (the course's own settings are in its nbgrader_config.py)."""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.Exchange.root = os.environ.get("EIC_EXCHANGE", "/srv/eic-course/exchange")
