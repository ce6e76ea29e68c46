"""Tools for trainers: the ``eic-course`` commands that run a workshop through nbgrader.

Each step is nbgrader's own, driven through its Python API, with the course's additions
plugged into nbgrader's hooks:

- ``course``    the course directory, its nbgrader settings and its modules;
- ``records``   what the course keeps beside nbgrader's tables in the gradebook: each
                participant's country, and the log of autograded submissions;
- ``roster``    reading and importing the participants' list (CSV);
- ``release``   the student version of a module, checked to fail every test when blank;
- ``collect``   submissions downloaded from a learning platform, through ``zip_collect``;
- ``grading``   the ``grade`` command: which submissions to grade, progress, the summary;
  ``parallel`` runs the worker processes (``worker``) and ``merge`` writes each result into
  the course gradebook; ``progress`` draws the progress bar;
- ``feedback``  feedback pages that reveal no hidden test;
- ``export``    grades as CSV, per participant and per country;
- ``classdata`` and ``dashboard``   the tables and charts of the class dashboard
  (``trainer/dashboard.ipynb``);
- ``commands``  the subcommands of ``eic-course`` that run all of these, with their
                arguments and help in ``command_parser``.

Nothing here is imported by the module notebooks; nbgrader imports ``eic.trainer.feedback``
through ``nbgrader_config.py``.
"""
