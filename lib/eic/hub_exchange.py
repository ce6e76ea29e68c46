"""nbgrader's exchange on a shared machine, with submissions only the trainer can read.

nbgrader's own ``submit`` leaves a submission's folder open to every user of the machine
(mode 0777, its files 0644); it is hidden only because the inbound folder cannot be listed
and the folder's name ends with a random string. :class:`PrivateSubmit` is nbgrader's
submit step with one change: the submission's folder is then closed to everyone but its
owner (the participant) and its group. The inbound folder is the trainer's and has the
set-group-id bit (nbgrader makes it so), so a folder made in it takes the trainer's group:
another participant cannot open a submission even with its exact path, and the trainer
can still read and remove it. It is plugged in through nbgrader's own hook::

    c.ExchangeFactory.submit = "eic.hub_exchange.PrivateSubmit"

>>> oct(SUBMISSION_FOLDER_MODE)
'0o770'
"""

from __future__ import annotations

import stat
from pathlib import Path

from nbgrader.exchange.default.submit import ExchangeSubmit

# everything for the participant and the trainer's group, nothing for others
SUBMISSION_FOLDER_MODE = stat.S_IRWXU | stat.S_IRWXG


def close_to_others(submission: Path | str, inbound: Path | str) -> bool:
    """Close a submission's folder to other users if it has the inbound folder's group
    (the trainer's); False, leaving it as nbgrader made it, if it has another group, since
    then closing it would shut the trainer out too."""
    submission = Path(submission)
    if submission.stat().st_gid != Path(inbound).stat().st_gid:
        return False
    submission.chmod(SUBMISSION_FOLDER_MODE)
    return True


class PrivateSubmit(ExchangeSubmit):
    """``nbgrader submit`` whose copy in the exchange only the trainer's group can open."""

    def copy_files(self) -> None:
        super().copy_files()
        submission = Path(self.inbound_path) / self.assignment_filename
        if not close_to_others(submission, self.inbound_path):
            self.log.warning(
                "%s does not have the group of the inbound folder: it is left open to "
                "other users (give the inbound folder the set-group-id bit: chmod g+s)",
                submission,
            )
