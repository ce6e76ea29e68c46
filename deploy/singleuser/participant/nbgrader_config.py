"""nbgrader in a participant's server on the course's JupyterHub: the course and the
exchange to fetch modules from and submit them to."""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "eic"
c.Exchange.root = os.environ.get("EIC_EXCHANGE", "/srv/eic-course/exchange")
# A submission in the exchange is readable by the trainer's group only.
c.ExchangeFactory.submit = "eic.hub_exchange.PrivateSubmit"
