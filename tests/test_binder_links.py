"""eic-course binder: the links that open the course on Binder, and the README's badges."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, released_modules
from test_binder import badge_paths

from eic.binder_links import BADGES_END, BADGES_START, links, pages, repository, write_badges
from eic.cli import main


@pytest.mark.parametrize("given", [
    "someone/eic-course", " someone/eic-course ", "https://github.com/someone/eic-course",
    "https://github.com/someone/eic-course.git", "https://github.com/someone/eic-course/",
    "git@github.com:someone/eic-course.git", "http://www.github.com/someone/eic-course",
])  # fmt: skip
def test_a_repository_is_read_from_its_name_or_its_address(given):
    assert repository(given) == "someone/eic-course"


@pytest.mark.parametrize(("given", "said"), [
    ("eic-course", "is not a GitHub repository; give it as owner/name"),
    ("someone/eic/course", "is not a GitHub repository"),
    ("https://gitlab.com/someone/eic-course", "is not a GitHub repository"),
    ("-someone/eic-course", "cannot be a GitHub account"),
    ("some one/eic-course", "cannot be a GitHub account"),
    ("someone/eic course", "cannot be a GitHub repository's name"),
    ("someone/..", "cannot be a GitHub repository's name"),
])  # fmt: skip
def test_what_is_not_a_github_repository_is_refused_with_the_form_to_use(given, said):
    with pytest.raises(ValueError, match=re.escape(said)) as err:
        repository(given)
    assert "e.g. your-organisation/eic-course" in str(err.value)


def test_the_course_home_links_open_the_pages_the_readme_badges_open():
    # those pages are opened on a Jupyter server started as Binder starts one by
    # tests/test_binder.py
    assert list(pages().values()) == badge_paths()
    found = links("someone/eic-course")
    assert found == {
        "JupyterLab": "https://mybinder.org/v2/gh/someone/eic-course/HEAD"
        "?urlpath=lab/tree/release/index.ipynb",
        "Voila app": "https://mybinder.org/v2/gh/someone/eic-course/HEAD"
        "?urlpath=voila/render/release/index.ipynb",
    }


def test_a_modules_links_open_its_released_notebook_by_id_or_folder():
    for module in released_modules():
        for name in (module["id"], module["folder"]):
            for path in pages(name).values():
                notebook = path.split("/", 2)[2]  # after lab/tree/ or voila/render/
                assert (ROOT / notebook).is_file(), path
                assert notebook == f"release/{module['folder']}/{module['folder']}.ipynb"
    with pytest.raises(ValueError, match="there is no module 'm9'; the modules are m01, "):
        pages("m9")


def test_a_branch_is_written_as_one_part_of_the_link():
    link = links("someone/eic-course", ref="course/2027")["JupyterLab"]
    assert link.startswith("https://mybinder.org/v2/gh/someone/eic-course/course%2F2027?")
    with pytest.raises(ValueError, match="leave it out for HEAD"):
        links("someone/eic-course", ref=" ")


def test_the_badges_replace_the_placeholder_and_each_other_leaving_the_rest(tmp_path):
    readme = tmp_path / "README.md"
    original = (ROOT / "README.md").read_text(encoding="utf-8")
    readme.write_text(original, encoding="utf-8")
    write_badges(readme, "someone/eic-course")
    written = readme.read_text(encoding="utf-8")
    before, rest = written.split(BADGES_START)
    block, after = rest.split(BADGES_END)
    assert original.startswith(before) and original.endswith(after)
    # shown as badges, not as code; the placeholder is gone
    assert "```" not in block and "OWNER/REPO" not in block
    lines = block.strip().splitlines()
    assert len(lines) == 2
    for line, link in zip(lines, links("someone/eic-course").values(), strict=True):
        assert line.startswith("[![Open the course ") and line.endswith(f"]({link})")
    # published again from another repository: its badges replace the first ones
    write_badges(readme, "other/copy", ref="v2")
    again = readme.read_text(encoding="utf-8")
    assert "someone/eic-course" not in again and again.count("/other/copy/v2?urlpath=") == 2
    assert again.count(BADGES_START) == 1 and again.count(BADGES_END) == 1


def test_a_readme_without_the_markers_is_left_as_it_is(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# A course\n", encoding="utf-8")
    with pytest.raises(ValueError, match="has no place for the badges"):
        write_badges(readme, "someone/eic-course")
    assert readme.read_text(encoding="utf-8") == "# A course\n"


def test_the_command_prints_the_links_and_says_what_is_wrong(tmp_path, capsys):
    assert main(["binder", "someone/eic-course", "--module", "m03"]) == 0
    out = capsys.readouterr().out
    assert "Binder links that open module m03" in out
    for link in links("someone/eic-course", module="m03").values():
        assert link in out
    assert main(["binder", "eic-course"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("eic-course binder: 'eic-course' is not a GitHub repository")
    # --readme writes into the course folder's README
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text("")
    (course / "README.md").write_text(f"# Course\n{BADGES_START}\nold\n{BADGES_END}\n")
    assert main(["binder", "someone/eic-course", "--readme", "--course", str(course)]) == 0
    assert "commit it to publish them" in capsys.readouterr().out
    assert "old" not in (course / "README.md").read_text()
    assert "/someone/eic-course/HEAD?urlpath=" in (course / "README.md").read_text()
