"""Links that open the course on Binder: for a trainer to send, and for the README's badges.

mybinder.org builds the course from a public GitHub repository (``binder/`` says how) and
opens it at a page given in the link. Whoever publishes the course, or a copy of it under
their own organisation, runs

    eic-course binder OWNER/NAME [--ref BRANCH] [--module m03] [--readme]

to print the links that open the course home, in JupyterLab and as a Voila app (or one
module's notebook, with ``--module``), and, with ``--readme``, to put the two badges for the
course home into the README in place of the ones there.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from urllib.parse import quote

from eic.course import syllabus
from eic.trainer.course import CourseError, find_course_root

BINDER = "https://mybinder.org/v2/gh"
BADGE = "https://mybinder.org/badge_logo.svg"
# the README's badges stand between these two lines
BADGES_START, BADGES_END = "<!-- binder-badges -->", "<!-- /binder-badges -->"
# GitHub's rules for an account's name and a repository's
OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
GITHUB_ADDRESS = re.compile(r"(?:https?://(?:www\.)?github\.com/|git@github\.com:)([^/]+)/([^/]+?)"
                            r"(?:\.git)?/?")  # fmt: skip
EXAMPLE = "your-organisation/eic-course (or https://github.com/your-organisation/eic-course)"


def repository(text: str) -> str:
    """``owner/name`` of a GitHub repository, from that or from its address; a ValueError
    saying what is wrong otherwise."""
    given = text.strip()
    found = GITHUB_ADDRESS.fullmatch(given)
    owner, _, name = (found[1], "/", found[2]) if found else given.partition("/")
    if not (owner and name) or "/" in name:
        raise ValueError(f"{text!r} is not a GitHub repository; give it as owner/name, "
                         f"e.g. {EXAMPLE}")  # fmt: skip
    if not OWNER.fullmatch(owner):
        raise ValueError(f"{owner!r} cannot be a GitHub account: letters, digits and "
                         "hyphens, at most 39, not starting with a hyphen "
                         f"(e.g. {EXAMPLE})")  # fmt: skip
    if not NAME.fullmatch(name) or name in {".", ".."}:
        raise ValueError(f"{name!r} cannot be a GitHub repository's name: letters, digits, "
                         f"'.', '-' and '_' only (e.g. {EXAMPLE})")  # fmt: skip
    return f"{owner}/{name}"


def pages(module: str | None = None) -> dict[str, str]:
    """The page each link opens (Binder's ``urlpath``), by what it opens: the course home,
    or with ``module`` (an id such as m03, or its folder's name) that module's notebook, in
    JupyterLab and as a Voila app."""
    notebook = "release/index.ipynb"
    if module is not None:
        modules = syllabus()["modules"]
        found = [m for m in modules if module in (m["id"], m["folder"])]
        if not found:
            known = ", ".join(m["id"] for m in modules)
            raise ValueError(f"there is no module {module!r}; the modules are {known}")
        folder = found[0]["folder"]
        notebook = f"release/{folder}/{folder}.ipynb"
    return {"JupyterLab": f"lab/tree/{notebook}", "Voila app": f"voila/render/{notebook}"}


def links(repo: str, ref: str = "HEAD", module: str | None = None) -> dict[str, str]:
    """The Binder links that open ``pages(module)`` of the course in ``repo`` (owner/name)
    at ``ref`` (a branch, tag or commit; HEAD: the repository's default branch)."""
    if not ref.strip():
        raise ValueError("the branch, tag or commit (--ref) is empty; leave it out for HEAD")
    base = f"{BINDER}/{repository(repo)}/{quote(ref.strip(), safe='')}"
    return {what: f"{base}?urlpath={path}" for what, path in pages(module).items()}


def badges(repo: str, ref: str = "HEAD") -> str:
    """The README's two badges (Markdown): the course home in JupyterLab and as a Voila app."""
    titles = {"JupyterLab": "Open the course in JupyterLab on Binder",
              "Voila app": "Open the course as a Voila app on Binder"}  # fmt: skip
    return "\n".join(f"[![{titles[what]}]({BADGE})]({link})"
                     for what, link in links(repo, ref).items())  # fmt: skip


def write_badges(readme: Path, repo: str, ref: str = "HEAD") -> None:
    """Put the badges for ``repo`` between the README's badge markers, in place of what is
    there (the placeholder shown as code, or earlier badges)."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(BADGES_START), text.find(BADGES_END)
    if start < 0 or end < start:
        raise ValueError(f"{readme} has no place for the badges: a line {BADGES_START} and, "
                         f"after it, a line {BADGES_END}")  # fmt: skip
    text = text[: start + len(BADGES_START)] + "\n" + badges(repo, ref) + "\n" + text[end:]
    readme.write_text(text, encoding="utf-8")


def _binder(args: argparse.Namespace) -> int:
    readme = find_course_root(args.course) / "README.md" if args.readme else None
    try:
        found = links(args.repository, args.ref, args.module)
        if readme is not None:
            write_badges(readme, args.repository, args.ref)
    except ValueError as err:
        raise CourseError(str(err)) from None
    what = "the course home" if args.module is None else f"module {args.module}"
    print(f"Binder links that open {what} (the first opening of a version builds it, which "
          "can take several minutes; later openings start in about a minute):")  # fmt: skip
    for name, link in found.items():
        print(f"  {name + ':':<12} {link}")
    if readme is not None:
        print(f"The course home's badges are now in {readme}; commit it to publish them.")
    return 0


def add_binder_command(commands) -> None:
    parser = commands.add_parser(
        "binder",
        help="the links that open the course on Binder, and the README's badges",
        description="Print the Binder links that open the course home (or one module) in "
        "JupyterLab and as a Voila app, for the course in a public GitHub repository.",
    )
    parser.add_argument("repository", help=f"the GitHub repository, e.g. {EXAMPLE}")
    parser.add_argument("--ref", default="HEAD",
                        help="a branch, tag or commit (default: the default branch)")  # fmt: skip
    parser.add_argument("--module", help="open this module (e.g. m03) instead of the home")
    parser.add_argument("--readme", action="store_true",
                        help="also put the course home's badges into the README")  # fmt: skip
    parser.add_argument("--course", metavar="FOLDER",
                        help="with --readme: the course folder (default: the one holding "
                        "the current folder)")  # fmt: skip
    parser.set_defaults(run=_binder)
